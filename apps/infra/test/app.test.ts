import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { synthRepo } from "./support/synth.js";
import { copyService, editManifest, tempRepo } from "./support/temp-repo.js";

/**
 * The root-stack logical id behind a nested stack parameter: which of the stack's resources
 * a service really receives.
 */
function rootResourceOfParameter(
  synth: ReturnType<typeof synthRepo>,
  serviceId: string,
  parameter: string,
): string {
  const nested = synth.stack.services[serviceId]?.nestedStackResource;
  if (!nested) throw new Error(`no nested stack for ${serviceId}`);
  const resources = synth.template.findResources("AWS::CloudFormation::Stack");
  const value =
    resources[synth.stack.getLogicalId(nested as never)]?.Properties.Parameters[parameter];
  return value?.["Fn::GetAtt"]?.[0] ?? value?.Ref;
}

/** The root logical id of the bus a service sends its success results to. */
function successBusOf(synth: ReturnType<typeof synthRepo>, serviceId: string): string {
  const config = Object.values(
    synth.serviceTemplate(serviceId).findResources("AWS::Lambda::EventInvokeConfig"),
  )[0];
  const parameter = config?.Properties.DestinationConfig.OnSuccess.Destination.Ref;
  return rootResourceOfParameter(synth, serviceId, parameter);
}

/** The root logical id of the bus a service's role may put events on. */
function permittedBusOf(synth: ReturnType<typeof synthRepo>, serviceId: string): string {
  const role = Object.values(synth.serviceTemplate(serviceId).findResources("AWS::IAM::Role"))[0];
  const statement = role?.Properties.Policies[0].PolicyDocument.Statement.find(
    (candidate: { Action: unknown }) => candidate.Action === "events:PutEvents",
  );
  return rootResourceOfParameter(synth, serviceId, statement?.Resource.Ref);
}

/** The root logical id of the bus a service's rule listens on. */
function listenedBusOf(synth: ReturnType<typeof synthRepo>, serviceId: string): string {
  const rule = Object.values(
    synth.serviceTemplate(serviceId).findResources("AWS::Events::Rule"),
  )[0];
  return rootResourceOfParameter(synth, serviceId, rule?.Properties.EventBusName.Ref);
}

describe("the app with the two example services", () => {
  const synth = synthRepo(tempRepo());

  it("creates source_bus and output_bus, each archived for 5 days", () => {
    for (const name of ["source_bus", "output_bus"]) {
      synth.template.hasResourceProperties("AWS::Events::EventBus", { Name: name });
    }
    synth.template.resourceCountIs("AWS::Events::Archive", 2);
    synth.template.hasResourceProperties("AWS::Events::Archive", {
      RetentionDays: 5,
      EventPattern: { account: [{ Ref: "AWS::AccountId" }] },
      SourceArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^SourceBus"), "Arn"] },
    });
  });

  it("puts each service in a nested stack of its own", () => {
    synth.template.resourceCountIs("AWS::CloudFormation::Stack", 2);
    expect(Object.keys(synth.stack.services).sort()).toEqual(["backtosource", "toanother"]);
  });

  it("has both services listen on source_bus for their own id", () => {
    for (const id of ["backtosource", "toanother"]) {
      synth.serviceTemplate(id).hasResourceProperties("AWS::Events::Rule", {
        EventPattern: { source: [id] },
      });
      expect(listenedBusOf(synth, id)).toMatch(/^SourceBus/);
    }
  });

  it("returns backtosource's results to source_bus and sends toanother's to output_bus", () => {
    expect(successBusOf(synth, "backtosource")).toMatch(/^SourceBus/);
    expect(successBusOf(synth, "toanother")).toMatch(/^OutputBus/);
  });

  it("lets each service's role put events on its own destination bus only", () => {
    expect(permittedBusOf(synth, "backtosource")).toMatch(/^SourceBus/);
    expect(permittedBusOf(synth, "toanother")).toMatch(/^OutputBus/);
  });

  it("gives each service its alarms, notifying no one without an alarm topic", () => {
    for (const id of ["backtosource", "toanother"]) {
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

  it("builds each image with the runtime client version of the service's package.json", () => {
    const images = Object.values(synth.imageAssets());
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image.source).toMatchObject({
        platform: "linux/amd64",
        dockerBuildArgs: { RIC_VERSION: "4.0.2" },
      });
    }
  });

  it("outputs the bus ARNs and the region", () => {
    synth.template.hasOutput("SourceBusArn", {
      Value: { "Fn::GetAtt": [Match.stringLikeRegexp("^SourceBus"), "Arn"] },
    });
    synth.template.hasOutput("OutputBusArn", {
      Value: { "Fn::GetAtt": [Match.stringLikeRegexp("^OutputBus"), "Arn"] },
    });
    synth.template.hasOutput("Region", { Value: { Ref: "AWS::Region" } });
  });

  it("is environment-agnostic without secrets.json", () => {
    expect(synth.stack.environment).toBe("aws://unknown-account/unknown-region");
  });
});

describe("the app with secrets.json", () => {
  it("targets the account and region it names", () => {
    const synth = synthRepo(
      tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } }),
    );
    expect(synth.stack.account).toBe("123456789012");
    expect(synth.stack.region).toBe("eu-west-1");
  });

  it("has every service's alarms notify the alarm topic, when they fire and when they clear", () => {
    const topic = "arn:aws:sns:eu-west-1:123456789012:operators";
    const synth = synthRepo(
      tempRepo({
        secrets: { account: "123456789012", region: "eu-west-1", alarmTopicArn: topic },
      }),
    );
    for (const id of ["backtosource", "toanother"]) {
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
    synth.template.resourceCountIs("AWS::Events::EventBus", 0);
    synth.template.resourceCountIs("AWS::Events::Archive", 0);
    synth.serviceTemplate("backtosource").hasResourceProperties("AWS::Events::Rule", {
      EventBusName: "orders-bus",
    });
    synth.serviceTemplate("toanother").hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      DestinationConfig: {
        OnSuccess: {
          Destination: {
            "Fn::Join": [
              "",
              [
                "arn:",
                { Ref: "AWS::Partition" },
                ":events:eu-west-1:123456789012:event-bus/results-bus",
              ],
            ],
          },
        },
      },
    });
  });
});

describe("service discovery in the app", () => {
  it("picks up a third service folder with no code change", () => {
    const root = tempRepo();
    copyService(root, "toanother", "payments");
    const third = `${root}/services/payments`;
    editManifest(third, (manifest) => {
      manifest.name = "payments";
      manifest.service = { successBus: "output_bus", memorySize: 1024, timeoutSeconds: 60 };
    });
    const synth = synthRepo(root);
    expect(Object.keys(synth.stack.services).sort()).toEqual([
      "backtosource",
      "payments",
      "toanother",
    ]);
    synth.serviceTemplate("payments").hasResourceProperties("AWS::Events::Rule", {
      EventPattern: { source: ["payments"] },
    });
    synth.serviceTemplate("payments").hasResourceProperties("AWS::Lambda::Function", {
      MemorySize: 1024,
      Timeout: 60,
    });
    expect(successBusOf(synth, "payments")).toMatch(/^OutputBus/);
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
    editManifest(`${root}/services/toanother`, (manifest) => {
      delete manifest.service;
    });
    expect(Object.keys(synthRepo(root).stack.services)).toEqual(["backtosource"]);
  });
});
