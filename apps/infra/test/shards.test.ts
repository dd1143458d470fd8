import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CfnResource, Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { STACK_NAME } from "../src/app.js";
import { ConfigError } from "../src/config-error.js";
import { SHARD_COUNT, shardOf, shardStackName } from "../src/service-shard.js";
import { logicalIdOf, type Synth, synthRepo } from "./support/synth.js";
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
      for (const resource of Object.values(json(synth, stack).Resources)) {
        expect(resource.Type, stack.stackName).toBe("AWS::CloudFormation::Stack");
      }
    }
  });

  it("has the shard stacks import the buses from the bus stack's exports", () => {
    const busExports = new Map(
      Object.values(json(synth, synth.busStack).Outputs ?? {})
        .filter((output) => output.Export)
        .map((output) => [output.Export?.Name, output.Value]),
    );
    const busValue = (name: string) => busExports.get(name) as Record<string, unknown>;
    for (const id of EXAMPLE_SERVICES) {
      const service = synth.serviceStack(id);
      const template = json(synth, service);
      // No bus of its own: the service's rule and destination name the bus stack's.
      expect(Object.values(template.Resources).map((r) => r.Type)).not.toContain(
        "AWS::Events::EventBus",
      );
      const rule = template.Resources[logicalIdOf(service.service.rule)]?.Properties;
      const [listened] = importedNames(rule?.EventBusName);
      expect(listened, id).toMatch(new RegExp(`^${STACK_NAME}:`));
      expect(busValue(listened as string), id).toEqual({
        Ref: expect.stringMatching(/^SourceBus[0-9A-F]{8}$/),
      });
      const config = Object.values(template.Resources).find(
        (r) => r.Type === "AWS::Lambda::EventInvokeConfig",
      );
      const [destination] = importedNames(config?.Properties?.DestinationConfig);
      const bus = id === "backtosource" ? "SourceBus" : "OutputBus";
      expect(busValue(destination as string), id).toEqual({
        "Fn::GetAtt": [expect.stringMatching(new RegExp(`^${bus}[0-9A-F]{8}$`)), "Arn"],
      });
      // Every import names an export of the bus stack or of another shard stack.
      const exported = new Set(
        [synth.busStack, ...synth.shardStacks].flatMap((stack) =>
          Object.values(json(synth, stack).Outputs ?? {}).map((output) => output.Export?.Name),
        ),
      );
      for (const name of importedNames(template)) expect(exported, name).toContain(name);
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

  it("imports the alarm topic once in each shard stack", () => {
    const topic = "arn:aws:sns:eu-west-1:123456789012:operators";
    const withTopic = synthRepo(
      tempRepo({ secrets: { account: "123456789012", region: "eu-west-1", alarmTopicArn: topic } }),
    );
    for (const shard of withTopic.shardStacks) {
      const topics = shard.node.children.filter((child) => child.node.id === "AlarmTopic");
      expect(topics, shard.stackName).toHaveLength(1);
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

  it("changes chained only by the output of its alias ARN that eta follows", () => {
    const { Outputs: outputsBefore, ...restBefore } = json(before, before.serviceStack("chained"));
    const { Outputs: outputsAfter, ...restAfter } = json(after, after.serviceStack("chained"));
    expect(restAfter).toEqual(restBefore);
    const added = Object.keys(outputsAfter ?? {}).filter((key) => !(key in (outputsBefore ?? {})));
    expect(added).toHaveLength(1);
    expect(outputsAfter).toEqual({
      ...outputsBefore,
      [added[0] as string]: {
        Value: { Ref: logicalIdOf(after.serviceStack("chained").service.alias) },
      },
    });
  });

  it("leaves the other services' entries in the shard stacks as they were", () => {
    for (const id of EXAMPLE_SERVICES) {
      const logicalId = logicalIdOf(after.serviceStack(id).nestedStackResource as CfnResource);
      const entry = (synth: Synth) => json(synth, synth.shardOfService(id)).Resources[logicalId];
      if (id === "chained") {
        // Only its template's address changes, with the template's content (the new output).
        const withoutUrl = (synth: Synth) => ({
          ...entry(synth),
          Properties: { ...entry(synth)?.Properties, TemplateURL: "(its template)" },
        });
        expect(withoutUrl(after)).toEqual(withoutUrl(before));
        expect(entry(after)?.Properties?.TemplateURL).not.toEqual(
          entry(before)?.Properties?.TemplateURL,
        );
      } else {
        expect(entry(after), id).toEqual(entry(before));
      }
    }
  });
});

describe("removing services", () => {
  it.todo(
    "removing the last service of a shard deletes it on the next deploy: today its shard stack leaves the app, so cdk deploy --all leaves that stack, and the service, deployed (the CDK CLI deletes a stack of the app that has no resources, not a stack that is gone)",
  );
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
  it("synthesizes when it crosses shards one way, each shard stack after the one it follows", () => {
    const root = tempRepo();
    // backtosource → toanother (shard 2) → chained (shard 3) → payments (shard 7)
    addService(root, "payments", {
      successBus: "output_bus",
      subscriptions: [{ resultsOf: "chained" }],
    });
    const synth = synthRepo(root);
    const artifacts = manifestArtifacts(synth);
    expect(artifacts[`${STACK_NAME}-Services7`]?.dependencies).toContain(`${STACK_NAME}-Services3`);
    expect(artifacts[`${STACK_NAME}-Services3`]?.dependencies).toContain(`${STACK_NAME}-Services2`);
    const rule = synth.serviceStack("payments").service.subscriptionRules[0];
    const resources = json(synth, synth.serviceStack("payments")).Resources;
    const pattern = resources[logicalIdOf(rule as IConstruct)]?.Properties?.EventPattern as {
      resources: unknown[];
    };
    expect(synth.trace(synth.serviceStack("payments"), pattern.resources[0])).toMatchObject({
      stack: synth.serviceStack("chained").node.path,
      logicalId: logicalIdOf(synth.serviceStack("chained").service.alias),
    });
  });

  it("stops with one line when two shard stacks would import from each other", () => {
    const root = tempRepo();
    // toanother (shard 2) → chained (shard 3) → kappa (shard 2): no cycle of services, but
    // shard 3 would import toanother's alias from shard 2, and shard 2 chained's from shard 3.
    addService(root, "kappa", {
      successBus: "output_bus",
      subscriptions: [{ resultsOf: "chained" }],
    });
    let failure: unknown;
    try {
      synthRepo(root); // stops at discovery: not CDK's DependencyCycle and its stack trace
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toBe(
      "a cycle of shard stacks: shard 2 → shard 3 → shard 2, through toanother → chained (services/chained/package.json service.subscriptions[0]), chained → kappa (services/kappa/package.json service.subscriptions[0]); each shard stack would import from the next, which CloudFormation cannot deploy (a service's shard is a hash of its id: renaming one of these services moves it to another shard)",
    );
  });
});

describe("120 services", () => {
  const count = 120;
  const ids = Array.from({ length: count }, (_, i) => `service-${String(i + 1).padStart(3, "0")}`);
  let synth: Synth;
  beforeAll(() => {
    // Each a full copy of backtosource (11 files, its bundle included) beside the examples.
    const root = tempRepo();
    for (const id of ids) addService(root, id, { successBus: "output_bus" });
    const started = performance.now();
    synth = synthRepo(root);
    const seconds = (performance.now() - started) / 1000;
    console.info(`${synth.serviceIds.length} services synthesized in ${seconds.toFixed(1)} s`);
  });

  it("synthesizes every one of them, with its function and rule, in its shard", () => {
    expect(synth.serviceIds).toEqual([...ids, ...EXAMPLE_SERVICES].sort());
    for (const id of ids) {
      const template = synth.serviceTemplate(id);
      template.resourceCountIs("AWS::Lambda::Function", 1);
      template.resourceCountIs("AWS::Events::Rule", 1);
      template.hasResourceProperties("AWS::Events::Rule", { EventPattern: { source: [id] } });
      expect(synth.shardOfService(id).stackName).toBe(shardStackName(STACK_NAME, shardOf(id)));
    }
    expect(synth.shardStacks).toHaveLength(SHARD_COUNT);
  });

  it("keeps every template within CloudFormation's limits", () => {
    const templates = readdirSync(synth.outdir).filter((file) => file.endsWith(".template.json"));
    // The bus stack, 8 shard stacks, one nested stack per service.
    expect(templates).toHaveLength(1 + SHARD_COUNT + count + EXAMPLE_SERVICES.length);
    for (const file of templates) {
      const path = join(synth.outdir, file);
      const template = JSON.parse(readFileSync(path, "utf8")) as CfnTemplate;
      expect(Object.keys(template.Resources).length, file).toBeLessThanOrEqual(500);
      expect(Object.keys(template.Outputs ?? {}).length, file).toBeLessThanOrEqual(200);
      expect(Object.keys(template.Parameters ?? {}).length, file).toBeLessThanOrEqual(200);
      // Templates go to CloudFormation through S3: at most 1 MB each.
      expect(statSync(path).size, file).toBeLessThanOrEqual(1_000_000);
    }
  });
});
