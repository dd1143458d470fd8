import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SUCCESS_DETAIL_TYPE, subscriptionWarnings } from "@ebsvc/service-contract";
import type * as events from "aws-cdk-lib/aws-events";
import { describe, expect, it, vi } from "vitest";
import { createApp, STACK_NAME } from "../src/app.js";
import { ConfigError } from "../src/config-error.js";
import { discoverServices } from "../src/discover-services.js";
import { logicalIdOf, type Synth, spelt, synthRepo } from "./support/synth.js";
import { addService, setService, tempRepo, withInfraApp } from "./support/temp-repo.js";

/** The template resource of one of a service's rules. */
function ruleResource(synth: Synth, serviceId: string, rule: events.Rule) {
  const resource = synth.serviceTemplate(serviceId).findResources("AWS::Events::Rule")[
    logicalIdOf(rule)
  ];
  if (!resource) throw new Error(`no rule ${rule.node.path}`);
  return resource.Properties;
}

/**
 * Checks that a rule of a service delivers as its main rule does: to its alias, with the
 * same retries and dead-letter queue, allowed to invoke the alias and to write to the queue.
 */
function expectDeliveredToService(synth: Synth, serviceId: string, rule: events.Rule) {
  const { service } = synth.serviceStack(serviceId);
  const template = synth.serviceTemplate(serviceId);
  const alias = logicalIdOf(service.alias);
  const queue = logicalIdOf(service.deadLetterQueue);
  const target = {
    Arn: { Ref: alias },
    DeadLetterConfig: { Arn: { "Fn::GetAtt": [queue, "Arn"] } },
    Id: "Target0",
    RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
  };
  expect(ruleResource(synth, serviceId, rule).Targets).toEqual([target]);
  expect(ruleResource(synth, serviceId, service.rule).Targets).toEqual([target]);
  const ruleArn = { "Fn::GetAtt": [logicalIdOf(rule), "Arn"] };
  template.hasResourceProperties("AWS::Lambda::Permission", {
    Action: "lambda:InvokeFunction",
    FunctionName: { Ref: alias },
    Principal: "events.amazonaws.com",
    SourceArn: ruleArn,
  });
  const policies = Object.values(template.findResources("AWS::SQS::QueuePolicy"));
  const statements = policies
    .filter(
      (policy) => JSON.stringify(policy.Properties.Queues) === JSON.stringify([{ Ref: queue }]),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  expect(statements).toContainEqual(
    expect.objectContaining({
      Action: "sqs:SendMessage",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
    }),
  );
}

describe("result subscriptions of the example services", () => {
  const synth = synthRepo(tempRepo());

  it.each([
    ["toanother", "backtosource", "source_bus"],
    ["chained", "toanother", "output_bus"],
  ])("%s follows the success results of %s, on %s", (id, upstreamId, bus) => {
    const { service } = synth.serviceStack(id);
    expect(service.subscriptionRules).toHaveLength(1);
    const rule = service.subscriptionRules[0] as events.Rule;
    expect(rule.node.id).toBe("Subscription0");
    const properties = ruleResource(synth, id, rule);
    expect(properties.Description).toBe(
      `Success results of service ${upstreamId}: to service ${id}`,
    );
    expect(properties.EventPattern).toEqual({
      source: ["lambda"],
      "detail-type": [SUCCESS_DETAIL_TYPE],
      resources: [expect.anything()],
    });
    // The ARN in `resources` is the upstream's alias, spelt out from its fixed function name.
    expect(spelt(properties.EventPattern.resources[0])).toBe(
      `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:ebsvc-${upstreamId}:live`,
    );
    synth.serviceTemplate(upstreamId).hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: `ebsvc-${upstreamId}`,
    });
    synth.serviceTemplate(upstreamId).hasResourceProperties("AWS::Lambda::Alias", { Name: "live" });
    // On the bus the upstream's results land on.
    expect(properties.EventBusName).toBe(bus);
    expectDeliveredToService(synth, id, rule);
  });

  it("refers to an upstream in another shard stack without importing from it", () => {
    const chained = synth.serviceStack("chained");
    expect(JSON.stringify(synth.serviceTemplate("chained").toJSON())).not.toContain(
      "Fn::ImportValue",
    );
    // Its stack depends on the bus stack only, not on toanother's shard.
    const manifest = JSON.parse(readFileSync(join(synth.outdir, "manifest.json"), "utf8"));
    expect(
      manifest.artifacts[`${STACK_NAME}-Services3`].dependencies.filter(
        (d: string) => !d.endsWith(".assets"),
      ),
    ).toEqual([STACK_NAME]);
    expect(chained.nestedStackParent?.stackName).toBe(`${STACK_NAME}-Services3`);
  });

  it("gives backtosource, which follows no one, only its own rule", () => {
    expect(synth.serviceStack("backtosource").service.subscriptionRules).toEqual([]);
    synth.serviceTemplate("backtosource").resourceCountIs("AWS::Events::Rule", 1);
  });
});

describe("pattern subscriptions", () => {
  const root = tempRepo();
  setService(root, "backtosource", {
    successBus: "source",
    subscriptions: [
      {
        bus: "output_bus",
        pattern: { "detail-type": ["X"], detail: { n: [{ numeric: [">", 1] }] } },
      },
      {
        bus: "source_bus",
        pattern: {
          source: ["orders"],
          "detail-type": [{ prefix: "Order " }],
          detail: { "the-total": [{ exists: true }], camelCase: ["kept"] },
        },
      },
    ],
  });
  const synth = synthRepo(root);
  const { service } = synth.serviceStack("backtosource");

  it("adds one rule per pattern, in the order written", () => {
    expect(service.subscriptionRules.map((rule) => rule.node.id)).toEqual([
      "Subscription0",
      "Subscription1",
    ]);
    synth.serviceTemplate("backtosource").resourceCountIs("AWS::Events::Rule", 3);
  });

  it("puts each pattern on its bus as written, detail-type included", () => {
    const [first, second] = service.subscriptionRules as [events.Rule, events.Rule];
    expect(ruleResource(synth, "backtosource", first).Description).toBe(
      "Pattern on output_bus: to service backtosource",
    );
    expect(ruleResource(synth, "backtosource", first).EventPattern).toEqual({
      "detail-type": ["X"],
      detail: { n: [{ numeric: [">", 1] }] },
    });
    expect(ruleResource(synth, "backtosource", second).Description).toBe(
      "Pattern on source_bus: to service backtosource",
    );
    expect(ruleResource(synth, "backtosource", second).EventPattern).toEqual({
      source: ["orders"],
      "detail-type": [{ prefix: "Order " }],
      detail: { "the-total": [{ exists: true }], camelCase: ["kept"] },
    });
    expect(ruleResource(synth, "backtosource", first).EventBusName).toBe("output_bus");
    expect(ruleResource(synth, "backtosource", second).EventBusName).toBe("source_bus");
  });

  it("delivers pattern matches like the service's own events", () => {
    for (const rule of service.subscriptionRules)
      expectDeliveredToService(synth, "backtosource", rule);
  });
});

/** The one message discovery stops with. */
function discoveryError(root: string): string {
  return configError(() => discoverServices(join(root, "services"), root));
}

function configError(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("discovery did not fail");
}

const SHAPE =
  'expected: {"resultsOf": "<service id>"} or {"bus": "source_bus", "pattern": {…an EventBridge event pattern…}}';

describe("subscription mistakes, each stopping discovery with one line", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      "the results of an unknown service",
      { successBus: "output_bus", subscriptions: [{ resultsOf: "nosuch" }] },
      'services/chained/package.json: service.subscriptions[0].resultsOf is "nosuch"; allowed: the id of a service (backtosource, chained, toanother)',
    ],
    [
      "a subscription to itself",
      {
        successBus: "output_bus",
        subscriptions: [{ resultsOf: "toanother" }, { resultsOf: "chained" }],
      },
      "a cycle of subscriptions: chained → chained; each result would trigger the next service forever (services/chained/package.json service.subscriptions[1])",
    ],
    [
      "a pattern matching the service's own results",
      {
        successBus: "output_bus",
        subscriptions: [
          { resultsOf: "toanother" },
          { bus: "output_bus", pattern: { source: ["lambda"] } },
        ],
      },
      "a cycle of subscriptions: chained → chained; each result would trigger the next service forever (services/chained/package.json service.subscriptions[1])",
    ],
    [
      "an invalid pattern (a leaf that is no list)",
      {
        successBus: "output_bus",
        subscriptions: [{ bus: "output_bus", pattern: { source: "x" } }],
      },
      'services/chained/package.json: service.subscriptions[0].pattern is {"source":"x"}; not a valid event pattern: Invalid event pattern at "source": "source" must be an object or an array (got "x")',
    ],
    [
      "resultsOf with a bus",
      { successBus: "output_bus", subscriptions: [{ resultsOf: "toanother", bus: "output_bus" }] },
      'services/chained/package.json: service.subscriptions[0] is {"resultsOf":"toanother","bus":"output_bus"}; resultsOf takes no bus: results are matched on the bus the other service sends them to',
    ],
    [
      "a pattern without a bus",
      { successBus: "output_bus", subscriptions: [{ pattern: { source: ["orders"] } }] },
      'services/chained/package.json: service.subscriptions[0].bus is missing; a pattern needs the bus it listens on: add "bus"',
    ],
    [
      "an unknown bus",
      {
        successBus: "output_bus",
        subscriptions: [{ bus: "other_bus", pattern: { source: ["x"] } }],
      },
      'services/chained/package.json: service.subscriptions[0].bus is "other_bus"; allowed: "source_bus", "output_bus"',
    ],
    [
      "an unknown subscription field",
      { successBus: "output_bus", subscriptions: [{ resultsOf: "toanother", filter: 1 }] },
      "services/chained/package.json: service.subscriptions[0].filter: not a known field; allowed fields: resultsOf, or bus and pattern",
    ],
    [
      "subscriptions that are not a list",
      { successBus: "output_bus", subscriptions: { resultsOf: "toanother" } },
      `services/chained/package.json: service.subscriptions is {"resultsOf":"toanother"}; expected: a list, each item ${SHAPE.slice("expected: ".length)}`,
    ],
    [
      "an empty subscription",
      { successBus: "output_bus", subscriptions: [{}] },
      `services/chained/package.json: service.subscriptions[0] is {}; ${SHAPE}`,
    ],
    [
      "both resultsOf and a pattern",
      {
        successBus: "output_bus",
        subscriptions: [{ resultsOf: "toanother", bus: "output_bus", pattern: { source: ["x"] } }],
      },
      `services/chained/package.json: service.subscriptions[0] is {"resultsOf":"toanother","bus":"output_bus","pattern":{"source":["x"]}}; ${SHAPE}`,
    ],
    [
      "a pattern that is not an object",
      { successBus: "output_bus", subscriptions: [{ bus: "output_bus", pattern: ["x"] }] },
      'services/chained/package.json: service.subscriptions[0].pattern is ["x"]; expected: an EventBridge event pattern (an object)',
    ],
  ];
  it.each(cases)("%s", (_what, service, message) => {
    const root = tempRepo();
    setService(root, "chained", service);
    expect(discoveryError(root)).toBe(message);
  });

  it("a cycle of two services, naming both files", () => {
    const root = tempRepo();
    setService(root, "backtosource", {
      successBus: "source",
      subscriptions: [{ resultsOf: "toanother" }],
    });
    expect(discoveryError(root)).toBe(
      "a cycle of subscriptions: backtosource → toanother → backtosource; each result would trigger the next service forever (services/toanother/package.json service.subscriptions[0], services/backtosource/package.json service.subscriptions[0])",
    );
  });

  it("a pattern that closes a cycle through another service's results", () => {
    const root = tempRepo();
    // backtosource sends its results back to source_bus, where toanother follows them; a
    // pattern on output_bus matching any Lambda result brings toanother's back to backtosource.
    setService(root, "backtosource", {
      successBus: "source",
      subscriptions: [{ bus: "output_bus", pattern: { "detail-type": [SUCCESS_DETAIL_TYPE] } }],
    });
    expect(discoveryError(root)).toBe(
      "a cycle of subscriptions: backtosource → toanother → backtosource; each result would trigger the next service forever (services/toanother/package.json service.subscriptions[0], services/backtosource/package.json service.subscriptions[0])\n" +
        "a cycle of subscriptions: backtosource → toanother → chained → backtosource; each result would trigger the next service forever (services/toanother/package.json service.subscriptions[0], services/chained/package.json service.subscriptions[0], services/backtosource/package.json service.subscriptions[0])",
    );
  });

  // Lambda names the function's alias in `resources`: the cycle check must name it as the
  // stacks do (ebsvc-<id>:live), in the deployment's account and region when known.
  it.each([
    ["any account (a wildcard)", undefined, "arn:aws:lambda:*:function:ebsvc-toanother:live"],
    [
      "the account of secrets.json",
      { account: "111122223333", region: "eu-west-1" },
      "arn:aws:lambda:eu-west-1:111122223333:function:ebsvc-toanother:live",
    ],
  ])("a pattern on the real function ARN that closes a cycle, in %s", (_, secrets, arn) => {
    const root = secrets === undefined ? tempRepo() : tempRepo({ secrets });
    const resources = arn.includes("*") ? [{ wildcard: arn }] : [arn];
    setService(root, "backtosource", {
      successBus: "source",
      subscriptions: [{ bus: "output_bus", pattern: { resources } }],
    });
    // createApp reads secrets.json itself and checks in its account and region.
    expect(configError(() => createApp({ repoRoot: root }))).toBe(
      "a cycle of subscriptions: backtosource → toanother → backtosource; each result would trigger the next service forever (services/toanother/package.json service.subscriptions[0], services/backtosource/package.json service.subscriptions[0])",
    );
  });

  it("accepts a pattern on another bus than the service's results", () => {
    const root = tempRepo();
    setService(root, "chained", {
      successBus: "output_bus",
      subscriptions: [{ bus: "source_bus", pattern: { source: ["lambda"] } }],
    });
    // backtosource's results land on source_bus: chained follows them, no cycle.
    expect(
      discoverServices(join(root, "services"), root).find((s) => s.id === "chained")?.settings
        .subscriptions,
    ).toEqual([{ bus: "source_bus", pattern: { source: ["lambda"] } }]);
  });
});

describe("a pattern that gives a field again inside an $or alternative", () => {
  const overriding = {
    source: ["orders"],
    $or: [{ source: ["billing"] }, { "detail-type": ["Order Placed"] }],
  };

  it("is valid, and its warning names the service's file and the field", () => {
    const root = tempRepo();
    setService(root, "chained", {
      successBus: "output_bus",
      subscriptions: [
        { bus: "source_bus", pattern: { source: ["orders"] } },
        { bus: "source_bus", pattern: overriding },
      ],
    });
    const lines: string[] = [];
    createApp({
      repoRoot: root,
      onEnvironmentAgnostic: () => {},
      onWarning: (line) => lines.push(line),
    });
    expect(lines).toEqual([
      'services/chained/package.json: service.subscriptions[1].pattern: "$or[0].source" gives the field "source" again after "source": EventBridge keeps only the later condition, the earlier one is ignored',
    ]);
  });

  it("is printed to stderr by default, one line per warning", () => {
    const root = tempRepo();
    setService(root, "chained", {
      successBus: "output_bus",
      subscriptions: [{ bus: "source_bus", pattern: overriding }],
    });
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      createApp({ repoRoot: root, onEnvironmentAgnostic: () => {} });
      expect(printed.mock.calls).toEqual([
        [
          'Warning: services/chained/package.json: service.subscriptions[0].pattern: "$or[0].source" gives the field "source" again after "source": EventBridge keeps only the later condition, the earlier one is ignored',
        ],
      ]);
    } finally {
      printed.mockRestore();
    }
  });

  it("gives no warning for the example services and for result subscriptions", () => {
    expect(
      subscriptionWarnings({
        successBus: "source",
        subscriptions: [
          { resultsOf: "toanother" },
          { bus: "output_bus", pattern: { source: ["a"], $or: [{ b: ["1"] }, { c: ["2"] }] } },
        ],
      }),
    ).toEqual([]);
  });
});

describe("pnpm synth with a subscription mistake", () => {
  it("prints the message alone, exits 1 and writes no cdk.out", () => {
    const root = tempRepo();
    addService(root, "loopa", {
      successBus: "output_bus",
      subscriptions: [{ resultsOf: "loopb" }],
    });
    addService(root, "loopb", {
      successBus: "output_bus",
      subscriptions: [{ resultsOf: "loopa" }],
    });
    const infra = withInfraApp(root);
    const result = spawnSync("npm", ["run", "--silent", "synth"], { cwd: infra, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "a cycle of subscriptions: loopa → loopb → loopa; each result would trigger the next service forever (services/loopb/package.json service.subscriptions[0], services/loopa/package.json service.subscriptions[0])\n",
    );
    expect(result.stdout).toBe("");
    expect(existsSync(join(infra, "cdk.out"))).toBe(false);
  });
});
