import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CfnResource, Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { STACK_NAME } from "../src/app.js";
import { SHARD_COUNT, shardOf, shardStackName } from "../src/service-shard.js";
import { busArn, logicalIdOf, type Synth, spelt, synthRepo } from "./support/synth.js";
import { addService, EXAMPLE_SERVICES, tempRepo } from "./support/temp-repo.js";

interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
  Parameters?: Record<string, unknown>;
}

const json = (synth: Synth, stack: Stack) => synth.templateOf(stack).toJSON() as CfnTemplate;

/** Every `Fn::ImportValue` name in a template value. */
function importedNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(importedNames);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "Fn::ImportValue" && typeof inner === "string" ? [inner] : importedNames(inner),
  );
}

/** The artifacts of the cloud assembly's manifest, by id. */
function manifestArtifacts(
  synth: Synth,
): Record<string, { type: string; dependencies?: string[] }> {
  return JSON.parse(readFileSync(join(synth.outdir, "manifest.json"), "utf8")).artifacts;
}

describe("services in shard stacks", () => {
  const synth = synthRepo(tempRepo());

  it("puts every service in the shard stack its id hashes to, the same on every synth", () => {
    for (const id of EXAMPLE_SERVICES) {
      expect(synth.shardOfService(id).stackName, id).toBe(shardStackName(STACK_NAME, shardOf(id)));
    }
    // The hash is part of the deployed layout: a change would move (replace) every service.
    expect(Object.fromEntries(EXAMPLE_SERVICES.map((id) => [id, shardOf(id)]))).toEqual({
      backtosource: 2,
      chained: 3,
      toanother: 2,
    });
    expect(SHARD_COUNT).toBe(8);
    expect(shardStackName(STACK_NAME, 3)).toBe("EventBridgeServicesStack-Services3");
  });

  it("keeps the buses, and nothing of any service, in the bus stack", () => {
    const types = Object.values(json(synth, synth.busStack).Resources).map((r) => r.Type);
    expect([...new Set(types)].sort()).toEqual(["AWS::Events::Archive", "AWS::Events::EventBus"]);
    for (const stack of synth.shardStacks) {
      const allowed = Object.keys(stack.services).length
        ? "AWS::CloudFormation::Stack"
        : "AWS::CloudFormation::WaitConditionHandle";
      for (const resource of Object.values(json(synth, stack).Resources)) {
        expect(resource.Type, stack.stackName).toBe(allowed);
      }
    }
  });

  it("has the services name the bus stack's buses, with no stack importing from another", () => {
    for (const id of EXAMPLE_SERVICES) {
      const service = synth.serviceStack(id);
      const template = json(synth, service);
      // No bus of its own: the service's rule and destination name the bus stack's.
      expect(Object.values(template.Resources).map((r) => r.Type)).not.toContain(
        "AWS::Events::EventBus",
      );
      const rule = template.Resources[logicalIdOf(service.service.rule)]?.Properties;
      expect(rule?.EventBusName, id).toBe("source_bus");
      const config = Object.values(template.Resources).find(
        (r) => r.Type === "AWS::Lambda::EventInvokeConfig",
      );
      const destination = config?.Properties?.DestinationConfig as {
        OnSuccess: { Destination: unknown };
      };
      expect(spelt(destination.OnSuccess.Destination), id).toBe(
        busArn(id === "backtosource" ? "source_bus" : "output_bus"),
      );
    }
    for (const stack of [synth.busStack, ...synth.shardStacks]) {
      expect(importedNames(json(synth, stack)), stack.stackName).toEqual([]);
      const exported = Object.values(json(synth, stack).Outputs ?? {}).filter((o) => o.Export);
      expect(exported, stack.stackName).toEqual([]);
    }
    for (const id of EXAMPLE_SERVICES) {
      expect(importedNames(json(synth, synth.serviceStack(id))), id).toEqual([]);
    }
  });

  it("lists the bus stack as a dependency of every shard stack, so deploy --all orders them", () => {
    const artifacts = manifestArtifacts(synth);
    const stacks = Object.entries(artifacts)
      .filter(([, artifact]) => artifact.type === "aws:cloudformation:stack")
      .map(([id]) => id)
      .sort();
    expect(stacks).toEqual(
      expect.arrayContaining([STACK_NAME, `${STACK_NAME}-Services2`, `${STACK_NAME}-Services3`]),
    );
    expect(stacks.filter((id) => id !== STACK_NAME)).toEqual(
      synth.shardStacks.map((shard) => shard.stackName),
    );
    for (const shard of synth.shardStacks) {
      expect(artifacts[shard.stackName]?.dependencies, shard.stackName).toContain(STACK_NAME);
    }
    expect(artifacts[STACK_NAME]?.dependencies?.filter((d) => d.includes("-Services"))).toEqual([]);
  });

  it("imports the alarm topic once in each shard stack that holds services", () => {
    const topic = "arn:aws:sns:eu-west-1:123456789012:operators";
    const withTopic = synthRepo(
      tempRepo({ secrets: { account: "123456789012", region: "eu-west-1", alarmTopicArn: topic } }),
    );
    for (const shard of withTopic.shardStacks) {
      const topics = shard.node.children.filter((child) => child.node.id === "AlarmTopic");
      const holding = Object.keys(shard.services).length > 0;
      expect(topics, shard.stackName).toHaveLength(holding ? 1 : 0);
    }
    for (const id of EXAMPLE_SERVICES) {
      withTopic.serviceTemplate(id).resourceCountIs("AWS::SNS::Topic", 0);
    }
  });
});

describe("adding services", () => {
  const root = tempRepo();
  const before = synthRepo(root);
  // payments opens a new shard; kappa joins backtosource and toanother in theirs; eta joins
  // chained's and follows its results.
  addService(root, "payments", { successBus: "output_bus" });
  addService(root, "kappa", { successBus: "source" });
  addService(root, "eta", { successBus: "output_bus", subscriptions: [{ resultsOf: "chained" }] });
  const after = synthRepo(root);

  it("puts the new services in their own shards", () => {
    expect(Object.fromEntries(["payments", "kappa", "eta"].map((id) => [id, shardOf(id)]))).toEqual(
      { payments: 7, kappa: 2, eta: 3 },
    );
    for (const id of ["payments", "kappa", "eta"]) {
      expect(after.shardOfService(id).stackName).toBe(shardStackName(STACK_NAME, shardOf(id)));
    }
  });

  it("leaves the bus stack as it was", () => {
    expect(json(after, after.busStack)).toEqual(json(before, before.busStack));
  });

  it("leaves every existing service in its stack, under the same logical id", () => {
    for (const id of EXAMPLE_SERVICES) {
      const [was, is] = [before.serviceStack(id), after.serviceStack(id)];
      expect(after.shardOfService(id).stackName, id).toBe(before.shardOfService(id).stackName);
      expect(logicalIdOf(is.nestedStackResource as CfnResource), id).toBe(
        logicalIdOf(was.nestedStackResource as CfnResource),
      );
    }
  });

  it("leaves the nested templates of the existing services as they were", () => {
    for (const id of ["backtosource", "toanother"]) {
      expect(json(after, after.serviceStack(id)), id).toEqual(
        json(before, before.serviceStack(id)),
      );
    }
  });

  it("leaves the services that the new ones follow as they were (no export for them)", () => {
    expect(json(after, after.serviceStack("chained"))).toEqual(
      json(before, before.serviceStack("chained")),
    );
  });

  it("leaves the other services' entries in the shard stacks as they were", () => {
    for (const id of EXAMPLE_SERVICES) {
      const logicalId = logicalIdOf(after.serviceStack(id).nestedStackResource as CfnResource);
      const entry = (synth: Synth) => json(synth, synth.shardOfService(id)).Resources[logicalId];
      expect(entry(after), id).toEqual(entry(before));
    }
  });
});

describe("removing services", () => {
  it("keeps every shard stack in the app, an empty one with only a no-op placeholder", () => {
    const synth = synthRepo(tempRepo());
    expect(synth.shardStacks.map((shard) => shard.stackName)).toEqual(
      Array.from({ length: SHARD_COUNT }, (_, shard) => shardStackName(STACK_NAME, shard)),
    );
    for (const shard of synth.shardStacks) {
      const types = Object.values(json(synth, shard).Resources ?? {}).map((r) => r.Type);
      const services = Object.keys(shard.services).length;
      // Removing a shard's last service then deletes the service, not the stack.
      expect(types, shard.stackName).toEqual(
        services === 0
          ? ["AWS::CloudFormation::WaitConditionHandle"]
          : Array(services).fill("AWS::CloudFormation::Stack"),
      );
    }
  });
});

describe("the longest service ids", () => {
  it("keep every name within CloudFormation's and SQS's limits, across nested and shard stacks", () => {
    const root = tempRepo();
    // 63 characters each; the first two share shard 2, the third is in shard 3.
    const long = (suffix: string) => `${"a".repeat(58)}${suffix}`;
    expect([long("00010"), long("00012"), long("00001")].map(shardOf)).toEqual([2, 2, 3]);
    addService(root, long("00010"), { successBus: "output_bus" });
    addService(root, long("00012"), {
      successBus: "output_bus",
      subscriptions: [{ resultsOf: long("00010") }],
    });
    addService(root, long("00001"), {
      successBus: "output_bus",
      subscriptions: [{ resultsOf: long("00012") }],
    });
    const synth = synthRepo(root);
    for (const file of readdirSync(synth.outdir).filter((f) => f.endsWith(".template.json"))) {
      const template = JSON.parse(readFileSync(join(synth.outdir, file), "utf8")) as CfnTemplate;
      const names = [
        ...Object.keys(template.Resources),
        ...Object.keys(template.Parameters ?? {}),
        ...Object.keys(template.Outputs ?? {}),
        ...Object.values(template.Outputs ?? {}).flatMap((output) => output.Export?.Name ?? []),
        ...importedNames(template),
      ];
      for (const name of names) expect(name.length, `${file}: ${name}`).toBeLessThanOrEqual(255);
    }
    for (const id of [long("00010"), long("00012"), long("00001")]) {
      synth.serviceTemplate(id).hasResourceProperties("AWS::SQS::Queue", {
        QueueName: `ebsvc-${id}-dlq`,
      });
      expect(`ebsvc-${id}-dlq`.length).toBeLessThanOrEqual(80);
    }
  });
});

describe("a chain of subscriptions across shard stacks", () => {
  it("synthesizes crossing shards both ways, each shard depending on the bus stack alone", () => {
    const root = tempRepo();
    // toanother (shard 2) → chained (shard 3) → kappa (shard 2) and payments (shard 7).
    expect(["kappa", "payments"].map(shardOf)).toEqual([2, 7]);
    for (const id of ["kappa", "payments"]) {
      addService(root, id, { successBus: "output_bus", subscriptions: [{ resultsOf: "chained" }] });
    }
    const synth = synthRepo(root);
    const artifacts = manifestArtifacts(synth);
    for (const shard of [2, 3, 7]) {
      const dependencies = artifacts[`${STACK_NAME}-Services${shard}`]?.dependencies ?? [];
      expect(
        dependencies.filter((d) => !d.endsWith(".assets")),
        `shard ${shard}`,
      ).toEqual([STACK_NAME]);
    }
    for (const id of ["kappa", "payments"]) {
      const rule = synth.serviceStack(id).service.subscriptionRules[0];
      const resources = json(synth, synth.serviceStack(id)).Resources;
      const properties = resources[logicalIdOf(rule as IConstruct)]?.Properties as {
        EventPattern: { resources: unknown[] };
        EventBusName: unknown;
      };
      // chained's alias, spelt out: its function's name is fixed.
      expect(spelt(properties.EventPattern.resources[0]), id).toBe(
        `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:ebsvc-chained:live`,
      );
      expect(properties.EventBusName).toBe("output_bus");
    }
    synth.serviceTemplate("chained").hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: "ebsvc-chained",
    });
  });
});
