import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { STACK_NAME } from "@ebsvc/infra";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ASSERTION_STACK_NAME,
  INTEG_TAG,
  infraContext,
  PROBES,
  SEED_DETAIL,
  SEED_RESPONSE,
} from "../src/choreography-test.js";
import { readIntegManifest } from "../src/run.js";
import {
  onlyResource,
  REPO_ROOT,
  type Resource,
  resolveIntrinsics,
  resourcesOf,
  synthIntegApp,
  tempRepo,
} from "./support.js";

const SUCCESS = "Lambda Function Invocation Result - Success";

type PolicyOf = { PolicyDocument: { Statement: { Action: string | string[] }[] } };

describe("the integ app (environment-agnostic, no secrets.json)", () => {
  let synth: ReturnType<typeof synthIntegApp>;
  beforeAll(() => {
    synth = synthIntegApp(tempRepo());
  });

  /** The logical id of the bus the stack creates with this name. */
  function busId(name: string): string {
    return onlyResource(synth.template, "AWS::Events::EventBus", (p) => p.Name === name)[0];
  }

  /** The queue a test rule on this bus sends to, and the rule. */
  function probeOn(busName: string): { rule: Resource; queueId: string; queue: Resource } {
    const [, rule] = onlyResource(
      synth.template,
      "AWS::Events::Rule",
      (p) =>
        JSON.stringify(p.EventBusName) === JSON.stringify({ Ref: busId(busName) }) &&
        JSON.stringify(p.EventPattern).includes(SUCCESS),
    );
    const targets = rule.Properties.Targets as { Arn: { "Fn::GetAtt": [string, string] } }[];
    const queueId = targets[0]?.Arn["Fn::GetAtt"][0] as string;
    const queue = synth.template.toJSON().Resources[queueId] as Resource;
    return { rule, queueId, queue };
  }

  it.each([["source_bus"], ["output_bus"]])(
    "has a test rule on %s: Lambda success results, into an SQS queue",
    (busName) => {
      const { rule, queueId, queue } = probeOn(busName);
      expect(rule.Properties.EventPattern).toEqual({
        source: ["lambda"],
        "detail-type": [SUCCESS],
      });
      expect(rule.Properties.State).toBe("ENABLED");
      expect(rule.Properties.Targets).toEqual([
        { Arn: { "Fn::GetAtt": [queueId, "Arn"] }, Id: "Target0" },
      ]);
      expect(queue.Type).toBe("AWS::SQS::Queue");
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      expect(queue.Properties.MessageRetentionPeriod).toBe(3600);
    },
  );

  it("lets each test rule, and only it, send to its queue, over TLS only", () => {
    for (const busName of ["source_bus", "output_bus"]) {
      const { queueId } = probeOn(busName);
      const ruleId = onlyResource(synth.template, "AWS::Events::Rule", (p) =>
        JSON.stringify(p.Targets).includes(queueId),
      )[0];
      const [, policy] = onlyResource(synth.template, "AWS::SQS::QueuePolicy", (p) =>
        JSON.stringify(p.Queues).includes(queueId),
      );
      const statements = (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
      expect(statements).toContainEqual({
        Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
        Condition: { ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": [ruleId, "Arn"] } } },
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Resource: { "Fn::GetAtt": [queueId, "Arn"] },
      });
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: "sqs:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
          Effect: "Deny",
        }),
      );
    }
  });

  it("keeps the real app's stack: both buses and every service, under the stack's own name", () => {
    expect(synth.stack.stackName).toBe(STACK_NAME);
    busId("source_bus");
    busId("output_bus");
    const nested = resourcesOf(synth.template, "AWS::CloudFormation::Stack").map(([id]) => id);
    for (const { service } of PROBES)
      expect(nested.some((id) => id.startsWith(service))).toBe(true);
  });

  it("tags the stack under test, so run-integ.mjs tells a leftover of this test from a real deployment", () => {
    const manifest = synth.readJson("manifest.json") as {
      artifacts: Record<string, { properties?: { tags?: Record<string, string> } }>;
    };
    expect(manifest.artifacts[STACK_NAME]?.properties?.tags).toEqual({
      [INTEG_TAG.key]: INTEG_TAG.value,
    });
  });

  it("describes one test case for the runner: the stack under test and its assertion stack", () => {
    expect(readIntegManifest(synth.outdir)).toEqual([
      {
        id: "ChoreographyInteg/DefaultTest",
        stacks: [STACK_NAME],
        assertionStackName: ASSERTION_STACK_NAME,
      },
    ]);
  });

  /** Export name to the value its output has in the stack under test. */
  function exportsOfStackUnderTest(): Record<string, unknown> {
    const outputs = synth.template.toJSON().Outputs as Record<
      string,
      { Value: unknown; Export?: { Name: string } }
    >;
    return Object.fromEntries(
      Object.values(outputs)
        .filter((output) => output.Export)
        .map((output) => [output.Export?.Name, output.Value]),
    );
  }

  /** What stands for an export of `{"Ref": id}` here: "<Ref id>". */
  function refTo(value: unknown): string {
    const { Ref } = value as { Ref?: string };
    if (Ref === undefined) throw new Error(`an export of ${JSON.stringify(value)}, not a Ref`);
    return `<Ref ${Ref}>`;
  }

  /** The assertion stack's resources, with imports standing for their exported values. */
  function assertionCalls(type: string): [string, Resource][] {
    const imports = Object.fromEntries(
      Object.entries(exportsOfStackUnderTest()).map(([name, value]) => [name, refTo(value)]),
    );
    return resourcesOf(synth.assertionTemplate, type).map(([id, resource]) => [
      id,
      resolveIntrinsics(resource, imports) as Resource,
    ]);
  }

  it("sends the seed's event to source_bus once for each probed service (putEvents)", () => {
    const calls = assertionCalls("Custom::DeployAssert@SdkCallEventBridgeputEvents");
    expect(calls).toHaveLength(PROBES.length);
    for (const [index, { service }] of PROBES.entries()) {
      const [, call] = calls[index] as [string, Resource];
      expect(call.Properties.service).toBe("EventBridge");
      expect(call.Properties.api).toBe("putEvents");
      expect(call.Properties.flattenResponse).toBe("false");
      expect(JSON.parse(call.Properties.expected as string)).toEqual({
        $ObjectLike: { FailedEntryCount: 0 },
      });
      const parameters = call.Properties.parameters as Record<string, string>;
      expect(Object.keys(parameters)).toEqual(["Entries"]);
      expect(JSON.parse(parameters.Entries as string)).toEqual([
        {
          EventBusName: refTo({ Ref: busId("source_bus") }),
          Source: service,
          DetailType: "Details",
          Detail: JSON.stringify({ message: "Hello World" }),
        },
      ]);
    }
  });

  it("waits for each result in the queue of the bus it lands on (receiveMessage)", () => {
    const calls = assertionCalls("Custom::DeployAssert@SdkCallSQSreceiveMessage");
    expect(calls).toHaveLength(PROBES.length);
    for (const [index, probe] of PROBES.entries()) {
      const [id, call] = calls[index] as [string, Resource];
      expect(call.Properties.service).toBe("SQS");
      expect(call.Properties.api).toBe("receiveMessage");
      const parameters = call.Properties.parameters as Record<string, string>;
      expect(parameters).toEqual({
        QueueUrl: JSON.stringify(refTo({ Ref: probeOn(probe.resultBus).queueId })),
        WaitTimeSeconds: "20",
        MaxNumberOfMessages: "1",
      });
      const expected = JSON.stringify(JSON.parse(call.Properties.expected as string));
      for (const fragment of [
        `"source":"lambda"`,
        `"detail-type":"${SUCCESS}"`,
        `"requestContext":{"condition":"Success"}`,
        `"requestPayload":{"source":"${probe.service}","detail-type":"Details","detail":${JSON.stringify(SEED_DETAIL)}}`,
        `"responsePayload":${JSON.stringify(SEED_RESPONSE)}`,
      ]) {
        expect(expected).toContain(fragment);
      }

      // The waiter: a state machine that retries the call every 30 s, for 5 minutes of waits.
      const waiter = (call.Properties.stateMachineArn as { Ref: string }).Ref;
      expect(waiter.startsWith(id)).toBe(true);
      const definition = JSON.stringify(
        (synth.assertionTemplate.toJSON().Resources[waiter] as Resource).Properties
          .DefinitionString,
      );
      expect(definition).toContain(`\\"IntervalSeconds\\":30,\\"MaxAttempts\\":10`);
    }
  });

  it("runs the calls one after the other: send, receive, send, receive", () => {
    const order = [
      ...assertionCalls("Custom::DeployAssert@SdkCallEventBridgeputEvents"),
      ...assertionCalls("Custom::DeployAssert@SdkCallSQSreceiveMessage"),
    ];
    const byService = (service: string, type: string) =>
      order.find(
        ([, r]) => r.Type.endsWith(type) && JSON.stringify(r.Properties).includes(service),
      )?.[0] as string;
    const send1 = byService("backtosource", "putEvents");
    const receive1 = byService("backtosource", "receiveMessage");
    const send2 = byService("toanother", "putEvents");
    const receive2 = byService("toanother", "receiveMessage");
    const dependsOn = (id: string) =>
      (synth.assertionTemplate.toJSON().Resources[id] as Resource).DependsOn ?? [];
    expect(dependsOn(send1)).toEqual([]);
    expect(dependsOn(receive1)).toContain(send1);
    expect(dependsOn(send2)).toContain(receive1);
    expect(dependsOn(receive2)).toContain(send2);
  });

  it("lets the assertion functions put events and receive messages, and nothing more", () => {
    const actions = new Set(
      resourcesOf(synth.assertionTemplate, "AWS::IAM::Role")
        .flatMap(([, role]) => (role.Properties.Policies as PolicyOf[] | undefined) ?? [])
        .flatMap((policy) => policy.PolicyDocument.Statement)
        .flatMap(({ Action }) => (Array.isArray(Action) ? Action : [Action])),
    );
    expect([...actions].sort()).toEqual([
      "events:PutEvents",
      "lambda:InvokeFunction", // the waiter state machine, its own two functions
      "sqs:ReceiveMessage",
      "states:StartExecution", // the call that starts the waiter
    ]);
  });

  it("probes each service on the bus its package.json sends its results to", () => {
    for (const probe of PROBES) {
      const manifest = JSON.parse(
        readFileSync(join(REPO_ROOT, "services", probe.service, "package.json"), "utf8"),
      ) as { service: { successBus: string } };
      const { successBus } = manifest.service;
      expect(successBus === "source" ? "source_bus" : successBus).toBe(probe.resultBus);
    }
  });

  it("synthesizes with the real app's context (apps/infra/cdk.json)", () => {
    const context = infraContext(REPO_ROOT);
    expect(Object.keys(context).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(context)) {
      expect(synth.app.node.tryGetContext(key)).toEqual(value);
    }
    expect(process.env.CDK_CONTEXT_JSON).toBeUndefined();
  });

  it("synthesizes the assertion stack without warnings", () => {
    const messages = synth.assembly.getStackByName(ASSERTION_STACK_NAME).messages;
    expect(messages.filter((m) => m.level !== "info").map((m) => m.entry.data)).toEqual([]);
  });

  it("is read by the repository's CDK CLI (the deployer), offline", () => {
    const cli = createRequire(import.meta.url).resolve("aws-cdk/bin/cdk");
    const listed = spawnSync(process.execPath, [cli, "ls", "--app", synth.outdir], {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        HOME: synth.outdir,
        AWS_EC2_METADATA_DISABLED: "true",
        CDK_DISABLE_CLI_TELEMETRY: "true",
      },
    });
    expect(listed.stderr).not.toMatch(/schema version mismatch/i);
    expect(listed.status).toBe(0);
    expect(listed.stdout.trim().split("\n")).toEqual([STACK_NAME, ASSERTION_STACK_NAME]);
  });
});

describe("the integ app with a secrets.json (stack pinned to an account and region)", () => {
  it("puts the assertion stack in the same environment, so it can import the queue URLs", () => {
    const synth = synthIntegApp(
      tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } }),
    );
    const manifest = synth.readJson("manifest.json") as {
      artifacts: Record<string, { environment?: string }>;
    };
    expect(manifest.artifacts[STACK_NAME]?.environment).toBe("aws://123456789012/eu-west-1");
    expect(manifest.artifacts[ASSERTION_STACK_NAME]?.environment).toBe(
      "aws://123456789012/eu-west-1",
    );
  });
});
