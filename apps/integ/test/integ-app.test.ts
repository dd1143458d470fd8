import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { STACK_NAME } from "@ebsvc/infra";
import { SUCCESS_DETAIL_TYPE } from "@ebsvc/service-contract";
import type { CfnElement } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ASSERTION_STACK_NAME,
  CHAIN_ASSERTED_PATH,
  INTEG_TAG,
  infraContext,
  PROBES,
  type Probe,
  probeName,
  SEED_DETAIL,
  SEED_RESPONSE,
  serviceOf,
  sourceOf,
} from "../src/choreography-test.js";
import { readIntegManifest } from "../src/run.js";
import {
  aliasArnOf,
  chainRecords,
  matchesPattern,
  queueUrlOf,
  REPO_ROOT,
  type Resource,
  resourcesOf,
  resultBusOf,
  seedSuccessRecord,
  synthIntegApp,
  tempRepo,
} from "./support.js";

const SUCCESS = SUCCESS_DETAIL_TYPE;
const SERVICES = readdirSync(join(REPO_ROOT, "services")).sort();

type PolicyOf = { PolicyDocument: { Statement: { Action: string | string[] }[] } };

describe("the integ app (environment-agnostic, no secrets.json)", () => {
  let synth: ReturnType<typeof synthIntegApp>;
  beforeAll(() => {
    synth = synthIntegApp(tempRepo());
  });

  /** The shard stacks: every stack under test but the bus stack. */
  const shardNames = () =>
    synth.stacks.map((stack) => stack.stackName).filter((name) => name !== STACK_NAME);

  /** The stack whose template holds the service's nested stack. */
  function stackOfService(service: string): string {
    const holding = Object.entries(synth.templates)
      .filter(([, template]) =>
        resourcesOf(template, "AWS::CloudFormation::Stack").some(([id]) =>
          id.startsWith(`${service}NestedStack`),
        ),
      )
      .map(([name]) => name);
    expect(holding).toHaveLength(1);
    return holding[0] as string;
  }

  /** A probe's stack, and its rule and queue as synthesized there. */
  function probeOf(probe: Probe) {
    const found = synth.probes.find((p) => p.probe === probe);
    if (!found) throw new Error(`no resources for probe ${probeName(probe)}`);
    const stackName = found.stack.stackName;
    const template = synth.templates[stackName]?.toJSON() as {
      Resources: Record<string, Resource>;
    };
    const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
      found.stack.getLogicalId(construct.node.defaultChild as CfnElement);
    const ruleId = logicalId(found.rule);
    const queueId = logicalId(found.queue);
    return {
      stackName,
      ruleId,
      rule: template.Resources[ruleId] as Resource,
      queueId,
      queue: template.Resources[queueId] as Resource,
      resources: template.Resources,
    };
  }

  it("keeps the real app's stacks: the buses in the bus stack, each service nested in a shard stack", () => {
    expect(synth.stack.stackName).toBe(STACK_NAME);
    const names = synth.stacks.map((stack) => stack.stackName);
    expect(names[0]).toBe(STACK_NAME);
    for (const name of shardNames())
      expect(name).toMatch(/^EventBridgeServicesStack-Services[0-7]$/);
    expect(new Set(names).size).toBe(names.length);

    // The bus stack as the app makes it: the buses, their archives, nothing of the test.
    const busTypes = Object.values(synth.template.toJSON().Resources as Record<string, Resource>)
      .map((resource) => resource.Type)
      .sort();
    expect(busTypes).toEqual([
      "AWS::Events::Archive",
      "AWS::Events::Archive",
      "AWS::Events::EventBus",
      "AWS::Events::EventBus",
    ]);
    expect(
      resourcesOf(synth.template, "AWS::Events::EventBus").map(([, bus]) => bus.Properties.Name),
    ).toEqual(["source_bus", "output_bus"]);

    // Every service of services/ in exactly one shard stack (stackOfService checks one).
    const nested = shardNames().flatMap((name) =>
      resourcesOf(synth.templates[name] as Template, "AWS::CloudFormation::Stack").map(
        ([id]) => id,
      ),
    );
    expect(nested).toHaveLength(SERVICES.length);
    for (const service of SERVICES) expect(shardNames()).toContain(stackOfService(service));
  });

  it("puts each probe's rule and queue in the shard stack of the service it awaits, nothing else of the test", () => {
    for (const probe of PROBES) {
      expect(probeOf(probe).stackName).toBe(stackOfService(serviceOf(probe)));
    }
    // Per shard stack: its services' nested stacks, and for each probe there a rule, a queue
    // and the queue's policy.
    for (const name of shardNames()) {
      const types = Object.values(
        synth.templates[name]?.toJSON().Resources as Record<string, Resource>,
      )
        .map((resource) => resource.Type)
        .sort();
      const services = SERVICES.filter((service) => stackOfService(service) === name);
      const probes = PROBES.filter((probe) => probeOf(probe).stackName === name);
      // A shard without services holds the app's no-op placeholder, and no probe.
      const placeholder = services.length === 0 ? ["AWS::CloudFormation::WaitConditionHandle"] : [];
      expect(types).toEqual(
        [
          ...placeholder,
          ...services.map(() => "AWS::CloudFormation::Stack"),
          ...probes.flatMap(() => [
            "AWS::Events::Rule",
            "AWS::SQS::Queue",
            "AWS::SQS::QueuePolicy",
          ]),
        ].sort(),
      );
    }
  });

  it.each(PROBES.map((probe) => [probeName(probe), probe]))(
    "has a test rule for probe %s: the awaited result, for the probe's event, on its bus, into an SQS queue",
    (_name, probe) => {
      const { stackName, rule, ruleId, queueId, queue } = probeOf(probe);
      expect(rule.Type).toBe("AWS::Events::Rule");
      expect(Object.keys(rule.Properties).sort()).toEqual([
        "Description",
        "EventBusName",
        "EventPattern",
        "State",
        "Tags",
        "Targets",
      ]);
      expect(rule.Properties.State).toBe("ENABLED");
      expect(rule.Properties.Tags).toEqual([{ Key: INTEG_TAG.key, Value: INTEG_TAG.value }]);
      expect(rule.Properties.Targets).toEqual([
        { Arn: { "Fn::GetAtt": [queueId, "Arn"] }, Id: "Target0" },
      ]);
      // The bus the awaited service's results land on, imported from the bus stack.
      expect(synth.resolve(stackName, rule.Properties.EventBusName)).toBe(probe.resultBus);
      expect(resultBusOf(serviceOf(probe))).toBe(probe.resultBus);

      const pattern = synth.resolve(stackName, rule.Properties.EventPattern);
      if (probe.services.length === 1) {
        expect(rule.Properties.Description).toBe(
          `Integration test: ${serviceOf(probe)}'s success results for the seed's event sent to ${sourceOf(probe)}, on ${probe.resultBus}, into a queue`,
        );
        expect(pattern).toEqual({
          source: ["lambda"],
          "detail-type": [SUCCESS],
          resources: [aliasArnOf(serviceOf(probe))],
          detail: { requestPayload: { source: [sourceOf(probe)], "detail-type": ["Details"] } },
        });
      } else {
        expect(probe.services).toEqual(["backtosource", "toanother", "chained"]);
        expect(rule.Properties.Description).toBe(
          "Integration test: chained's success results for the seed's event sent to backtosource, via toanother, on output_bus, into a queue",
        );
        const result = (service: string, requestPayload: unknown) => ({
          source: ["lambda"],
          "detail-type": [SUCCESS],
          resources: [aliasArnOf(service)],
          detail: { requestPayload },
        });
        expect(pattern).toEqual(
          result(
            "chained",
            result(
              "toanother",
              result("backtosource", { source: ["backtosource"], "detail-type": ["Details"] }),
            ),
          ),
        );
      }
      expect(ruleId).not.toBe(queueId);

      expect(queue.Type).toBe("AWS::SQS::Queue");
      expect(queue.Properties).toEqual({
        MessageRetentionPeriod: 3600,
        SqsManagedSseEnabled: true,
        Tags: [{ Key: INTEG_TAG.key, Value: INTEG_TAG.value }],
      });
      expect((queue as { DeletionPolicy?: string }).DeletionPolicy).toBe("Delete");
    },
  );

  it("matches each probe's awaited result and none of the other results the choreography makes", () => {
    // Every success record the probes' events cause: each service's for the event sent to it,
    // toanother's and chained's following backtosource's, chained's following toanother's.
    const records = {
      backtosource: seedSuccessRecord("backtosource"),
      toanother: seedSuccessRecord("toanother"),
      chained: seedSuccessRecord("chained"),
      "toanother of backtosource": chainRecords(["backtosource", "toanother"])[1],
      "chained of toanother of backtosource": chainRecords([
        "backtosource",
        "toanother",
        "chained",
      ])[2],
      "chained of toanother": chainRecords(["toanother", "chained"])[1],
    };
    const matched = Object.fromEntries(
      PROBES.map((probe) => {
        const { stackName, rule } = probeOf(probe);
        const pattern = synth.resolve(stackName, rule.Properties.EventPattern);
        return [
          probeName(probe),
          Object.entries(records)
            .filter(([, record]) => matchesPattern(pattern, record))
            .map(([name]) => name),
        ];
      }),
    );
    expect(matched).toEqual({
      backtosource: ["backtosource"],
      toanother: ["toanother"],
      "backtosource-toanother-chained": ["chained of toanother of backtosource"],
    });
  });

  it("lets each test rule, and only it, send to its queue, over TLS only", () => {
    for (const probe of PROBES) {
      const { queueId, ruleId, resources } = probeOf(probe);
      const policies = Object.values(resources).filter(
        (resource) =>
          resource.Type === "AWS::SQS::QueuePolicy" &&
          JSON.stringify(resource.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
      );
      expect(policies).toHaveLength(1);
      const [policy] = policies as [Resource];
      const statements = (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
      expect(statements).toEqual([
        {
          Action: "sqs:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
          Effect: "Deny",
          Principal: { AWS: "*" },
          Resource: { "Fn::GetAtt": [queueId, "Arn"] },
        },
        {
          Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
          Condition: { ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": [ruleId, "Arn"] } } },
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Resource: { "Fn::GetAtt": [queueId, "Arn"] },
        },
      ]);
    }
  });

  it("acknowledges the cdk-nag findings on the test's queues and rules, and leaves none unanswered", () => {
    const report = synth.readJson("validation-report.json") as {
      pluginReports: {
        pluginName: string;
        violations: unknown[];
        suppressedViolations: {
          acknowledgedId: string;
          reason: string;
          violatingConstructs: { constructPath: string }[];
        }[];
      }[];
    };
    for (const plugin of report.pluginReports) expect(plugin.violations).toEqual([]);
    const ofTest = report.pluginReports
      .flatMap((plugin) => plugin.suppressedViolations)
      .flatMap((violation) =>
        violation.violatingConstructs
          .filter((construct) => construct.constructPath.includes("/IntegProbes/"))
          .map((construct) => ({
            entry: `${violation.acknowledgedId} ${construct.constructPath}`,
            reason: violation.reason,
          })),
      );
    const expected = PROBES.flatMap((probe) => {
      const base = `${probeOf(probe).stackName}/IntegProbes/${probeName(probe)}`;
      return [
        `AwsSolutions::AwsSolutions-SQS3 ${base}/Queue/Resource`,
        `Serverless::Serverless-SQSRedrivePolicy ${base}/Queue/Resource`,
        `Serverless::Serverless-EventBusDLQ ${base}/Rule/Resource`,
      ];
    });
    expect(ofTest.map((a) => a.entry).sort()).toEqual(expected.sort());
    for (const { reason } of ofTest)
      expect(reason).toMatch(/^An integration test's (queue|rule): /);
  });

  it("tags every stack under test, so the runner tells a leftover of this test from a real deployment", () => {
    const manifest = synth.readJson("manifest.json") as {
      artifacts: Record<string, { properties?: { tags?: Record<string, string> } }>;
    };
    for (const name of [STACK_NAME, ...shardNames()]) {
      expect(manifest.artifacts[name]?.properties?.tags).toEqual({
        [INTEG_TAG.key]: INTEG_TAG.value,
      });
    }
  });

  it("describes one test case for the runner: every stack of the app under test, and its assertion stack", () => {
    expect(readIntegManifest(synth.outdir)).toEqual([
      {
        id: "ChoreographyInteg/DefaultTest",
        stacks: [STACK_NAME, ...shardNames()],
        assertionStackName: ASSERTION_STACK_NAME,
      },
    ]);
    // All eight shard stacks of the app: the example services are in shards 2 and 3.
    expect(shardNames()).toEqual(
      Array.from({ length: 8 }, (_, shard) => `EventBridgeServicesStack-Services${shard}`),
    );
  });

  /** The assertion stack's resources of a type, as they resolve in a stand-in deployment. */
  function assertionCalls(type: string): [string, Resource][] {
    return resourcesOf(synth.assertionTemplate, type).map(([id, resource]) => [
      id,
      synth.resolve(ASSERTION_STACK_NAME, resource) as Resource,
    ]);
  }

  it("sends the seed's event to source_bus once for each probe (putEvents)", () => {
    const calls = assertionCalls("Custom::DeployAssert@SdkCallEventBridgeputEvents");
    expect(calls).toHaveLength(PROBES.length);
    for (const [index, probe] of PROBES.entries()) {
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
          EventBusName: "source_bus",
          Source: sourceOf(probe),
          DetailType: "Details",
          Detail: JSON.stringify({ message: "Hello World" }),
        },
      ]);
    }
  });

  it("waits for each probe's result in the probe's own queue (receiveMessage)", () => {
    const calls = assertionCalls("Custom::DeployAssert@SdkCallSQSreceiveMessage");
    expect(calls).toHaveLength(PROBES.length);
    for (const [index, probe] of PROBES.entries()) {
      const [id, call] = calls[index] as [string, Resource];
      const { stackName, queueId } = probeOf(probe);
      expect(call.Properties.service).toBe("SQS");
      expect(call.Properties.api).toBe("receiveMessage");
      expect(call.Properties.parameters).toEqual({
        QueueUrl: JSON.stringify(queueUrlOf(stackName, queueId)),
        WaitTimeSeconds: "20",
        MaxNumberOfMessages: "1",
      });
      const expected = JSON.parse(call.Properties.expected as string);
      if (probe.services.length === 1) {
        // The whole record, as far as it identifies the result of the probe's own event.
        expect(expected).toEqual({
          $ObjectLike: {
            Messages: {
              $ArrayWith: [
                {
                  $ObjectLike: {
                    Body: {
                      $SerializedJson: {
                        $ObjectLike: {
                          source: "lambda",
                          "detail-type": SUCCESS,
                          detail: {
                            requestContext: {
                              functionArn: aliasArnOf(serviceOf(probe)),
                              condition: "Success",
                            },
                            requestPayload: {
                              source: sourceOf(probe),
                              "detail-type": "Details",
                              detail: SEED_DETAIL,
                            },
                            responsePayload: SEED_RESPONSE,
                          },
                        },
                      },
                    },
                  },
                },
              ],
            },
          },
        });
        expect(call.Properties.flattenResponse).toBe("false");
        expect(call.Properties.actualPath).toBeUndefined();
        expect(call.Properties.outputPaths).toBeUndefined();
      } else {
        // One leaf, so the response stays small: whose result it is; the rule matched the rest.
        expect(expected).toBe(aliasArnOf(serviceOf(probe)));
        expect(call.Properties.flattenResponse).toBe("true");
        expect(call.Properties.actualPath).toBe(CHAIN_ASSERTED_PATH);
        expect(call.Properties.outputPaths).toEqual([CHAIN_ASSERTED_PATH]);
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

  it("runs the calls one after the other: send, receive, for each probe in turn", () => {
    const sends = assertionCalls("Custom::DeployAssert@SdkCallEventBridgeputEvents").map(
      ([id]) => id,
    );
    const receives = assertionCalls("Custom::DeployAssert@SdkCallSQSreceiveMessage").map(
      ([id]) => id,
    );
    const order = PROBES.flatMap((_, index) => [sends[index], receives[index]]) as string[];
    const dependsOn = (id: string) =>
      (synth.assertionTemplate.toJSON().Resources[id] as Resource).DependsOn ?? [];
    expect(dependsOn(order[0] as string)).toEqual([]);
    for (const [index, id] of order.entries()) {
      if (index > 0) expect(dependsOn(id)).toContain(order[index - 1]);
    }
    // Each receive reads the queue of its own probe.
    for (const [index, probe] of PROBES.entries()) {
      const receive = synth.assertionTemplate.toJSON().Resources[receives[index] as string];
      const { stackName, queueId } = probeOf(probe);
      expect(JSON.stringify(synth.resolve(ASSERTION_STACK_NAME, receive))).toContain(
        queueUrlOf(stackName, queueId),
      );
    }
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

  it("probes each awaited service on the bus its package.json sends its results to", () => {
    for (const probe of PROBES) expect(resultBusOf(serviceOf(probe))).toBe(probe.resultBus);
    expect(PROBES.map((probe) => [probeName(probe), probe.resultBus])).toEqual([
      ["backtosource", "source_bus"],
      ["toanother", "output_bus"],
      ["backtosource-toanother-chained", "output_bus"],
    ]);
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

  it("is read by the repository's CDK CLI (the deployer), offline: every stack", () => {
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
    expect(listed.stdout.trim().split("\n")).toEqual([
      STACK_NAME,
      ...shardNames(),
      ASSERTION_STACK_NAME,
    ]);
  });
});

describe("the integ app with a secrets.json (stacks pinned to an account and region)", () => {
  it("puts the assertion stack in the same environment, so it can import the queue URLs", () => {
    const synth = synthIntegApp(
      tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } }),
    );
    const manifest = synth.readJson("manifest.json") as {
      artifacts: Record<string, { environment?: string }>;
    };
    const names = [...synth.stacks.map((stack) => stack.stackName), ASSERTION_STACK_NAME];
    // The bus stack, eight shard stacks and the assertion stack.
    expect(names).toHaveLength(10);
    for (const name of names) {
      expect(manifest.artifacts[name]?.environment).toBe("aws://123456789012/eu-west-1");
    }
  });
});
