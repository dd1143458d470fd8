import { Match } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { STACK_NAME } from "../src/app.js";
import { shardOf, shardStackName } from "../src/service-shard.js";
import { busArn, logicalIdOf, type Synth, spelt, synthRepo } from "./support/synth.js";
import { copyService, EXAMPLE_SERVICES, editManifest, tempRepo } from "./support/temp-repo.js";

/** The bus a service sends its success results to. */
function successBusOf(synth: Synth, serviceId: string): string {
  const config = Object.values(
    synth.serviceTemplate(serviceId).findResources("AWS::Lambda::EventInvokeConfig"),
  );
  expect(config).toHaveLength(1);
  return spelt(config[0]?.Properties.DestinationConfig.OnSuccess.Destination);
}

/** The one bus a service's role may put events on. */
function permittedBusOf(synth: Synth, serviceId: string): string {
  const { service } = synth.serviceStack(serviceId);
  const roles = synth.serviceTemplate(serviceId).findResources("AWS::IAM::Role");
  const role = roles[logicalIdOf(service.function.role as unknown as IConstruct)];
  const policies: Array<{
    PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> };
  }> = role?.Properties.Policies ?? [];
  const putEvents = policies
    .flatMap((policy) => policy.PolicyDocument.Statement)
    .filter((statement) =>
      [statement.Action].flat().some((action) => String(action).startsWith("events:")),
    );
  // One statement, one resource: the role may put events nowhere else.
  expect(putEvents).toHaveLength(1);
  expect(putEvents[0]?.Action).toBe("events:PutEvents");
  expect(Array.isArray(putEvents[0]?.Resource)).toBe(false);
  return spelt(putEvents[0]?.Resource);
}

/** The bus a service's own rule (`source: [<id>]`) listens on. */
function listenedBusOf(synth: Synth, serviceId: string): string {
  const rule = synth.serviceTemplate(serviceId).findResources("AWS::Events::Rule")[
    logicalIdOf(synth.serviceStack(serviceId).service.rule)
  ];
  expect(rule?.Properties.EventPattern).toEqual({ source: [serviceId] });
  return spelt(rule?.Properties.EventBusName);
}

const SOURCE_BUS_ARN = busArn("source_bus");
const OUTPUT_BUS_ARN = busArn("output_bus");

describe("the app with the three example services", () => {
  const synth = synthRepo(tempRepo());

  it("creates source_bus and output_bus, each archived for 5 days", () => {
    for (const name of ["source_bus", "output_bus"]) {
      synth.busTemplate.hasResourceProperties("AWS::Events::EventBus", { Name: name });
    }
    synth.busTemplate.resourceCountIs("AWS::Events::Archive", 2);
    synth.busTemplate.hasResourceProperties("AWS::Events::Archive", {
      RetentionDays: 5,
      EventPattern: { account: [{ Ref: "AWS::AccountId" }] },
      SourceArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^SourceBus"), "Arn"] },
    });
  });

  it("puts each service in a nested stack of its own, in its shard stack", () => {
    expect(synth.serviceIds).toEqual([...EXAMPLE_SERVICES]);
    const holding = synth.shardStacks.filter((shard) => Object.keys(shard.services).length > 0);
    expect(holding.map((shard) => shard.stackName)).toEqual([
      `${STACK_NAME}-Services2`,
      `${STACK_NAME}-Services3`,
    ]);
    for (const shard of synth.shardStacks) {
      const services = Object.values(shard.services);
      synth
        .templateOf(shard)
        .resourceCountIs("AWS::CloudFormation::Stack", Object.keys(shard.services).length);
      for (const service of services) expect(service.nestedStackParent).toBe(shard);
    }
    synth.busTemplate.resourceCountIs("AWS::CloudFormation::Stack", 0);
    for (const id of EXAMPLE_SERVICES) {
      expect(synth.shardOfService(id).stackName).toBe(shardStackName(STACK_NAME, shardOf(id)));
    }
  });

  it("has every service listen on source_bus for its own id", () => {
    for (const id of EXAMPLE_SERVICES) {
      expect(listenedBusOf(synth, id)).toBe("source_bus");
    }
  });

  it("returns backtosource's results to source_bus and sends toanother's and chained's to output_bus", () => {
    expect(successBusOf(synth, "backtosource")).toBe(SOURCE_BUS_ARN);
    expect(successBusOf(synth, "toanother")).toBe(OUTPUT_BUS_ARN);
    expect(successBusOf(synth, "chained")).toBe(OUTPUT_BUS_ARN);
  });

  it("lets each service's role put events on its own destination bus only", () => {
    expect(permittedBusOf(synth, "backtosource")).toBe(SOURCE_BUS_ARN);
    expect(permittedBusOf(synth, "toanother")).toBe(OUTPUT_BUS_ARN);
    expect(permittedBusOf(synth, "chained")).toBe(OUTPUT_BUS_ARN);
  });

  it("gives toanother and chained one subscription rule each, backtosource none", () => {
    const subscriptions = (id: string) =>
      Object.values(synth.serviceTemplate(id).findResources("AWS::Events::Rule")).filter(
        (rule) => JSON.stringify(rule.Properties.EventPattern) !== JSON.stringify({ source: [id] }),
      );
    expect(subscriptions("backtosource")).toEqual([]);
    for (const [id, upstream] of [
      ["toanother", "backtosource"],
      ["chained", "toanother"],
    ] as const) {
      expect(subscriptions(id)).toHaveLength(1);
      expect(subscriptions(id)[0]?.Properties).toMatchObject({
        Description: `Success results of service ${upstream}: to service ${id}`,
        EventPattern: {
          source: ["lambda"],
          "detail-type": ["Lambda Function Invocation Result - Success"],
        },
      });
    }
  });

  it("gives each service its alarms, notifying no one without an alarm topic", () => {
    for (const id of EXAMPLE_SERVICES) {
      const service = synth.serviceTemplate(id);
      service.resourceCountIs("AWS::CloudWatch::Alarm", 2);
      service.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: "ApproximateNumberOfMessagesVisible",
        AlarmDescription: Match.stringLikeRegexp(`^Service ${id}: `),
        AlarmActions: Match.absent(),
      });
      service.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
    }
  });

  it("names each dead-letter queue after its service", () => {
    for (const id of EXAMPLE_SERVICES) {
      synth.serviceTemplate(id).hasResourceProperties("AWS::SQS::Queue", {
        QueueName: `ebsvc-${id}-dlq`,
      });
    }
  });

  it("builds each image with the runtime client version of the service's package.json", () => {
    const images = Object.values(synth.imageAssets());
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image.source).toMatchObject({
        platform: "linux/amd64",
        dockerBuildArgs: { RIC_VERSION: "4.0.2" },
      });
    }
    // Every function's image is among them.
    for (const id of EXAMPLE_SERVICES) {
      const fn = Object.values(synth.serviceTemplate(id).findResources("AWS::Lambda::Function"))[0];
      const hash = JSON.stringify(fn?.Properties.Code.ImageUri).match(/:([0-9a-f]{64})/)?.[1];
      expect(Object.keys(synth.imageAssets()), id).toContain(hash);
    }
  });

  it("outputs the bus ARNs and the region", () => {
    synth.busTemplate.hasOutput("SourceBusArn", {
      Value: { "Fn::GetAtt": [Match.stringLikeRegexp("^SourceBus"), "Arn"] },
    });
    synth.busTemplate.hasOutput("OutputBusArn", {
      Value: { "Fn::GetAtt": [Match.stringLikeRegexp("^OutputBus"), "Arn"] },
    });
    synth.busTemplate.hasOutput("Region", { Value: { Ref: "AWS::Region" } });
  });

  it("is environment-agnostic without secrets.json", () => {
    for (const stack of [synth.busStack, ...synth.shardStacks]) {
      expect(stack.environment, stack.stackName).toBe("aws://unknown-account/unknown-region");
    }
  });
});

describe("the app with secrets.json", () => {
  it("targets the account and region it names, with every stack", () => {
    const synth = synthRepo(
      tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } }),
    );
    for (const stack of [synth.busStack, ...synth.shardStacks]) {
      expect(stack.account, stack.stackName).toBe("123456789012");
      expect(stack.region, stack.stackName).toBe("eu-west-1");
    }
  });

  it("has every service's alarms notify the alarm topic, when they fire and when they clear", () => {
    const topic = "arn:aws:sns:eu-west-1:123456789012:operators";
    const synth = synthRepo(
      tempRepo({
        secrets: { account: "123456789012", region: "eu-west-1", alarmTopicArn: topic },
      }),
    );
    for (const id of EXAMPLE_SERVICES) {
      for (const metric of [
        "ApproximateNumberOfMessagesVisible",
        "ApproximateAgeOfOldestMessage",
      ]) {
        synth.serviceTemplate(id).hasResourceProperties("AWS::CloudWatch::Alarm", {
          MetricName: metric,
          AlarmActions: [topic],
          OKActions: [topic],
        });
      }
    }
  });

  it("imports existing buses instead of creating them", () => {
    const synth = synthRepo(
      tempRepo({
        secrets: {
          account: "123456789012",
          region: "eu-west-1",
          existingBuses: { source_bus: "orders-bus", output_bus: "results-bus" },
        },
      }),
    );
    synth.busTemplate.resourceCountIs("AWS::Events::EventBus", 0);
    synth.busTemplate.resourceCountIs("AWS::Events::Archive", 0);
    synth.serviceTemplate("backtosource").hasResourceProperties("AWS::Events::Rule", {
      EventBusName: "orders-bus",
      EventPattern: { source: ["backtosource"] },
    });
    const resultsBusArn = {
      "Fn::Join": [
        "",
        ["arn:", { Ref: "AWS::Partition" }, ":events:eu-west-1:123456789012:event-bus/results-bus"],
      ],
    };
    synth.serviceTemplate("toanother").hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      DestinationConfig: { OnSuccess: { Destination: resultsBusArn } },
    });
    // chained follows toanother's results where they land: the existing output bus.
    synth.serviceTemplate("chained").hasResourceProperties("AWS::Events::Rule", {
      EventBusName: "results-bus",
      EventPattern: Match.objectLike({ source: ["lambda"] }),
    });
  });
});

describe("service discovery in the app", () => {
  it("picks up a fourth service folder with no code change", () => {
    const root = tempRepo();
    copyService(root, "toanother", "payments");
    const fourth = `${root}/services/payments`;
    editManifest(fourth, (manifest) => {
      manifest.name = "payments";
      manifest.service = { successBus: "output_bus", memorySize: 1024, timeoutSeconds: 60 };
    });
    const synth = synthRepo(root);
    expect(synth.serviceIds).toEqual(["backtosource", "chained", "payments", "toanother"]);
    expect(synth.shardOfService("payments").stackName).toBe(`${STACK_NAME}-Services7`);
    synth.serviceTemplate("payments").hasResourceProperties("AWS::Events::Rule", {
      EventPattern: { source: ["payments"] },
    });
    synth.serviceTemplate("payments").hasResourceProperties("AWS::Lambda::Function", {
      MemorySize: 1024,
      Timeout: 60,
    });
    expect(successBusOf(synth, "payments")).toBe(OUTPUT_BUS_ARN);
    expect(listenedBusOf(synth, "payments")).toBe("source_bus");
  });

  it("applies every setting a service's package.json may override", () => {
    const root = tempRepo();
    editManifest(`${root}/services/backtosource`, (manifest) => {
      manifest.service = {
        successBus: "source",
        memorySize: 256,
        timeoutSeconds: 10,
        retryAttempts: 0,
        maxEventAgeSeconds: 120,
        provisionedConcurrency: 3,
        architecture: "arm64",
        logRetentionDays: 90,
      };
    });
    const synth = synthRepo(root);
    const service = synth.serviceTemplate("backtosource");
    service.hasResourceProperties("AWS::Lambda::Function", {
      MemorySize: 256,
      Timeout: 10,
      Architectures: ["arm64"],
    });
    service.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 120,
    });
    service.hasResourceProperties("AWS::Lambda::Alias", {
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 },
    });
    service.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 90 });
    const platforms = Object.values(synth.imageAssets()).map((image) => image.source.platform);
    expect(platforms).toContain("linux/arm64");
  });

  it("skips folders whose package.json has no service object", () => {
    const root = tempRepo();
    editManifest(`${root}/services/chained`, (manifest) => {
      delete manifest.service;
    });
    expect(synthRepo(root).serviceIds).toEqual(["backtosource", "toanother"]);
  });
});
