import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { LOG_RETENTION_DAYS } from "@ebsvc/service-contract";
import { App, type CfnElement, Duration, Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import { afterAll, describe, expect, it } from "vitest";
import { ServiceConstruct, type ServiceConstructProps } from "../src/index.js";

// A minimal service folder: the construct only stages and hashes it (images build at deploy).
const serviceDirectory = mkdtempSync(join(tmpdir(), "service-construct-"));
mkdirSync(join(serviceDirectory, "dist"));
writeFileSync(join(serviceDirectory, "Dockerfile"), "FROM scratch\nCOPY dist/ /var/task/\n");
writeFileSync(
  join(serviceDirectory, "dist", "index.mjs"),
  "export const handler = async () => ({});\n",
);
afterAll(() => rmSync(serviceDirectory, { recursive: true, force: true }));

type Overrides = Partial<ServiceConstructProps> & { withOtherBus?: boolean; withTopic?: boolean };

const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:operators";

function synth(id = "orders", overrides: Overrides = {}, app = new App()) {
  const stack = new Stack(app, "TestStack", {
    env: { account: "123456789012", region: "eu-west-1" },
  });
  const eventBus = new events.EventBus(stack, "SourceBus", { eventBusName: "source_bus" });
  const otherBus = overrides.withOtherBus
    ? new events.EventBus(stack, "OutputBus", { eventBusName: "output_bus" })
    : undefined;
  const alarmTopic = overrides.withTopic
    ? sns.Topic.fromTopicArn(stack, "Operators", TOPIC_ARN)
    : undefined;
  const service = new ServiceConstruct(stack, id, {
    serviceDirectory,
    eventBus,
    successBus: otherBus,
    alarmTopic,
    ...overrides,
  });
  return { service, stack, template: Template.fromStack(stack) };
}

/** The container image assets of a synthesized stack, keyed by hash. */
function imageAssets(stack: Stack): Record<string, { source: Record<string, unknown> }> {
  const assembly = (stack.node.root as App).synth();
  const manifest = JSON.parse(
    readFileSync(join(assembly.directory, `${stack.artifactId}.assets.json`), "utf8"),
  );
  return manifest.dockerImages;
}

/** The logical id of the only resource of a type. */
function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe("ServiceConstruct defaults", () => {
  const { template, service } = synth();
  const functionId = onlyLogicalId(template, "AWS::Lambda::Function");
  const queueId = onlyLogicalId(template, "AWS::SQS::Queue");
  const aliasId = onlyLogicalId(template, "AWS::Lambda::Alias");
  const ruleId = onlyLogicalId(template, "AWS::Events::Rule");

  it("builds a container image function with the seed's memory, timeout and tracing", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      PackageType: "Image",
      Code: { ImageUri: Match.anyValue() },
      MemorySize: 512,
      Timeout: 30,
      TracingConfig: { Mode: "Active" },
      Architectures: ["x86_64"],
    });
  });

  it("writes to an explicit log group of its own, kept one month", () => {
    const logGroupId = onlyLogicalId(template, "AWS::Logs::LogGroup");
    template.hasResourceProperties("AWS::Lambda::Function", {
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
    template.hasResource("AWS::Logs::LogGroup", {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: "Delete",
    });
  });

  it("publishes a version and points the alias at it, without provisioned concurrency", () => {
    const versionId = onlyLogicalId(template, "AWS::Lambda::Version");
    template.hasResourceProperties("AWS::Lambda::Version", { FunctionName: { Ref: functionId } });
    template.hasResourceProperties("AWS::Lambda::Alias", {
      Name: "live",
      FunctionName: { Ref: functionId },
      FunctionVersion: { "Fn::GetAtt": [versionId, "Version"] },
      ProvisionedConcurrencyConfig: Match.absent(),
    });
  });

  it("matches source equal to the service id on the given bus and targets the alias", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      EventBusName: { Ref: Match.stringLikeRegexp("SourceBus") },
      EventPattern: { source: ["orders"] },
      State: "ENABLED",
      Targets: [
        {
          Arn: { Ref: aliasId },
          DeadLetterConfig: { Arn: { "Fn::GetAtt": [queueId, "Arn"] } },
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        },
      ],
    });
  });

  it("lets the rule (and only it) invoke the alias", () => {
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      FunctionName: { Ref: aliasId },
      Principal: "events.amazonaws.com",
      SourceArn: { "Fn::GetAtt": [ruleId, "Arn"] },
    });
  });

  it("keeps a dead-letter queue of its own: encrypted, TLS only, 14 days", () => {
    template.hasResourceProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it("has a queue policy that denies plain HTTP and lets only EventBridge send, for this rule", () => {
    template.resourceCountIs("AWS::SQS::QueuePolicy", 1);
    template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "sqs:*",
            Resource: { "Fn::GetAtt": [queueId, "Arn"] },
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          {
            Sid: Match.stringLikeRegexp("^AllowEventRule"),
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: { "Fn::GetAtt": [queueId, "Arn"] },
            Condition: { ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": [ruleId, "Arn"] } } },
          },
        ],
      },
    });
  });

  it("sends results to the source bus on success and to the queue on failure, from the alias", () => {
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: functionId },
      // The alias name, read from the alias's ARN so the config waits for the alias.
      Qualifier: { "Fn::Select": [7, { "Fn::Split": [":", { Ref: aliasId }] }] },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: {
        OnSuccess: { Destination: { "Fn::GetAtt": [Match.stringLikeRegexp("SourceBus"), "Arn"] } },
        OnFailure: { Destination: { "Fn::GetAtt": [queueId, "Arn"] } },
      },
    });
  });

  it("runs the function under a role of its own that Lambda alone assumes, with no managed policy", () => {
    const roleId = onlyLogicalId(template, "AWS::IAM::Role");
    template.hasResourceProperties("AWS::Lambda::Function", {
      Role: { "Fn::GetAtt": [roleId, "Arn"] },
    });
    template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      },
      ManagedPolicyArns: Match.absent(),
    });
    // Nothing is granted outside the role's own statements (no DefaultPolicy).
    template.resourceCountIs("AWS::IAM::Policy", 0);
  });

  it("lets the role write its own logs, put events on its bus, send to its queue, and trace", () => {
    const logGroupId = onlyLogicalId(template, "AWS::Logs::LogGroup");
    template.hasResourceProperties("AWS::IAM::Role", {
      Policies: [
        {
          PolicyName: "Service",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "WriteOwnLogGroup",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: { "Fn::GetAtt": [logGroupId, "Arn"] },
              },
              {
                Sid: "PutEventsOnDestinationBus",
                Effect: "Allow",
                Action: "events:PutEvents",
                Resource: { "Fn::GetAtt": [Match.stringLikeRegexp("^SourceBus"), "Arn"] },
              },
              {
                Sid: "SendToOwnDeadLetterQueue",
                Effect: "Allow",
                Action: "sqs:SendMessage",
                Resource: { "Fn::GetAtt": [queueId, "Arn"] },
              },
              {
                Sid: "WriteTraces",
                Effect: "Allow",
                Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                Resource: "*",
              },
            ],
          },
        },
      ],
    });
  });

  it("alarms as soon as a failed event waits in the queue, treating no data as nothing failed", () => {
    template.resourceCountIs("AWS::CloudWatch::Alarm", 2);
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmDescription: Match.stringLikeRegexp("^Service orders: failed events are waiting"),
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
      Statistic: "Maximum",
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Threshold: 1,
      TreatMissingData: "notBreaching",
      AlarmActions: Match.absent(),
      OKActions: Match.absent(),
    });
  });

  it("alarms when the oldest failed event has waited a day", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmDescription: Match.stringLikeRegexp("^Service orders: a failed event has waited 86400"),
      Namespace: "AWS/SQS",
      MetricName: "ApproximateAgeOfOldestMessage",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
      Statistic: "Maximum",
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Threshold: 86_400,
      TreatMissingData: "notBreaching",
      AlarmActions: Match.absent(),
    });
  });

  it("outputs the alias ARN and the queue URL", () => {
    const outputs = Object.values(template.findOutputs("*"));
    expect(outputs).toContainEqual(expect.objectContaining({ Value: { Ref: aliasId } }));
    expect(outputs).toContainEqual(expect.objectContaining({ Value: { Ref: queueId } }));
  });

  it("records on the function which service folder it came from, relative to the assembly", () => {
    const fn = template.findResources("AWS::Lambda::Function")[functionId];
    const outdir = (service.node.root as App).outdir;
    expect(fn?.Metadata?.["ebsvc:service"]).toEqual({
      id: "orders",
      directory: relative(outdir, serviceDirectory),
    });
  });

  it("exposes the function, alias, rule, queue, alarms and log group", () => {
    expect(service.function).toBeInstanceOf(lambda.DockerImageFunction);
    expect(service.alias.aliasName).toBe("live");
    expect(service.rule.node.id).toBe("Rule");
    expect(service.deadLetterQueue.node.id).toBe("DeadLetterQueue");
    expect(service.deadLetterAlarms.messagesVisible.node.id).toBe("MessagesVisible");
    expect(service.deadLetterAlarms.oldestMessageAge.node.id).toBe("OldestMessageAge");
    expect(service.logGroup.node.id).toBe("LogGroup");
  });
});

describe("ServiceConstruct overrides", () => {
  it("sends success results to another bus when given one", () => {
    const { template } = synth("orders", { withOtherBus: true });
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      DestinationConfig: {
        OnSuccess: { Destination: { "Fn::GetAtt": [Match.stringLikeRegexp("OutputBus"), "Arn"] } },
      },
    });
    template.hasResourceProperties("AWS::Events::Rule", {
      EventBusName: { Ref: Match.stringLikeRegexp("SourceBus") },
    });
    // The role may put events on the bus it sends to, not on the one it listens on.
    template.hasResourceProperties("AWS::IAM::Role", {
      Policies: [
        {
          PolicyName: "Service",
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Sid: "PutEventsOnDestinationBus",
                Effect: "Allow",
                Action: "events:PutEvents",
                Resource: { "Fn::GetAtt": [Match.stringLikeRegexp("^OutputBus"), "Arn"] },
              },
            ]),
          },
        },
      ],
    });
  });

  it("drops the X-Ray statement, the only one with Resource *, when tracing is disabled", () => {
    const { template } = synth("orders", { tracing: lambda.Tracing.DISABLED });
    const role = Object.values(template.findResources("AWS::IAM::Role"))[0];
    const statements = role?.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements.map((statement: { Sid: string }) => statement.Sid)).toEqual([
      "WriteOwnLogGroup",
      "PutEventsOnDestinationBus",
      "SendToOwnDeadLetterQueue",
    ]);
    expect(JSON.stringify(statements)).not.toContain('"*"');
  });

  it("notifies the alarm topic when an alarm fires and when it clears", () => {
    const { template } = synth("orders", { withTopic: true });
    for (const metric of ["ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"]) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: metric,
        AlarmActions: [TOPIC_ARN],
        OKActions: [TOPIC_ARN],
      });
    }
  });

  it("takes a log retention and an age alarm threshold", () => {
    const { template } = synth("orders", {
      logRetention: logs.RetentionDays.ONE_YEAR,
      deadLetterAgeThreshold: Duration.hours(2),
    });
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 365 });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateAgeOfOldestMessage",
      Threshold: 7200,
    });
  });

  it("lowers the default age threshold to half a retention shorter than two days", () => {
    const { template } = synth("orders", { deadLetterRetention: Duration.hours(12) });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateAgeOfOldestMessage",
      Threshold: 6 * 3600,
      AlarmDescription: Match.stringLikeRegexp("SQS deletes it after 43200 seconds"),
    });
  });

  it("takes every documented setting", () => {
    const { template } = synth("orders", {
      memorySize: 1024,
      timeout: Duration.seconds(90),
      tracing: lambda.Tracing.PASS_THROUGH,
      architecture: lambda.Architecture.ARM_64,
      retryAttempts: 0,
      maxEventAge: Duration.minutes(5),
      provisionedConcurrency: 3,
      ruleRetryAttempts: 4,
      ruleMaxEventAge: Duration.hours(1),
      deadLetterRetention: Duration.days(4),
      aliasName: "prod",
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      MemorySize: 1024,
      Timeout: 90,
      TracingConfig: { Mode: "PassThrough" },
      Architectures: ["arm64"],
    });
    template.hasResourceProperties("AWS::Lambda::Alias", {
      Name: "prod",
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 },
    });
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
    });
    template.hasResourceProperties("AWS::Events::Rule", {
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
        }),
      ],
    });
    template.hasResourceProperties("AWS::SQS::Queue", { MessageRetentionPeriod: 4 * 24 * 3600 });
  });

  it.each([
    [lambda.Architecture.X86_64, "linux/amd64"],
    [lambda.Architecture.ARM_64, "linux/arm64"],
  ])("builds the image for the function's architecture (%s)", (architecture, platform) => {
    const { stack } = synth("orders", { architecture, buildArgs: { RIC_VERSION: "4.0.2" } });
    const images = Object.values(imageAssets(stack));
    expect(images).toHaveLength(1);
    expect(images[0]?.source).toMatchObject({
      platform,
      dockerBuildArgs: { RIC_VERSION: "4.0.2" },
    });
  });
});

describe("ServiceConstruct validation", () => {
  const cases: Array<[string, string, Overrides, RegExp]> = [
    ["an uppercase id", "Orders", {}, /the service id is "Orders"; allowed: .*lowercase letters/],
    ["an id with a dot", "or.ders", {}, /the service id is "or\.ders"/],
    ["an id ending with a hyphen", "orders-", {}, /the service id is "orders-"; allowed: /],
    ["the reserved id lambda", "lambda", {}, /"lambda": the service id is reserved: result events/],
    [
      "retries above 2",
      "orders",
      { retryAttempts: 3 },
      /retryAttempts is 3; allowed: an integer from 0 to 2 \(retries\)/,
    ],
    [
      "negative retries",
      "orders",
      { retryAttempts: -1 },
      /retryAttempts is -1; allowed: an integer from 0 to 2 \(retries\)/,
    ],
    [
      "a max age under a minute",
      "orders",
      { maxEventAge: Duration.seconds(30) },
      /maxEventAge \(in seconds\) is 30; allowed: an integer from 60 to 21600 \(seconds\)/,
    ],
    [
      "a max age over 6 hours",
      "orders",
      { maxEventAge: Duration.hours(7) },
      /maxEventAge \(in seconds\) is 25200/,
    ],
    [
      "memory under 128 MB",
      "orders",
      { memorySize: 64 },
      /memorySize is 64; allowed: an integer from 128 to 10240 \(MB\)/,
    ],
    [
      "a timeout over 15 minutes",
      "orders",
      { timeout: Duration.minutes(16) },
      /timeout \(in seconds\) is 960; allowed: .* from 1 to 900/,
    ],
    [
      "rule retries over 185",
      "orders",
      { ruleRetryAttempts: 186 },
      /ruleRetryAttempts is 186; allowed: an integer from 0 to 185 \(retries\)/,
    ],
    [
      "a rule max age over a day",
      "orders",
      { ruleMaxEventAge: Duration.days(2) },
      /ruleMaxEventAge \(in seconds\) is 172800/,
    ],
    [
      "retention over 14 days",
      "orders",
      { deadLetterRetention: Duration.days(15) },
      /deadLetterRetention \(in seconds\) is 1296000/,
    ],
    [
      "fractional provisioned concurrency",
      "orders",
      { provisionedConcurrency: 1.5 },
      /provisionedConcurrency is 1.5; allowed: an integer/,
    ],
    ["a numeric alias name", "orders", { aliasName: "42" }, /aliasName is "42"/],
    [
      "logs that never expire",
      "orders",
      { logRetention: logs.RetentionDays.INFINITE },
      /logRetention \(in days\) is 9999; allowed: one of 1, 3, 5, 7, 14, 30, .*, 3653 \(days\)/,
    ],
    [
      "a log retention CloudWatch does not offer",
      "orders",
      { logRetention: 31 as logs.RetentionDays },
      /logRetention \(in days\) is 31; allowed: one of 1, 3/,
    ],
    [
      "an age threshold as long as the retention",
      "orders",
      { deadLetterRetention: Duration.days(1), deadLetterAgeThreshold: Duration.days(1) },
      /deadLetterAgeThreshold \(in seconds\) is 86400; allowed: an integer from 1 to 86399 \(seconds, less than deadLetterRetention\)/,
    ],
    [
      "an age threshold past the default retention",
      "orders",
      { deadLetterAgeThreshold: Duration.days(15) },
      /deadLetterAgeThreshold \(in seconds\) is 1296000; allowed: an integer from 1 to 1209599/,
    ],
  ];
  it.each(cases)(
    "rejects %s, naming the value and the allowed range",
    (_what, id, overrides, message) => {
      expect(() => synth(id, overrides)).toThrow(message);
    },
  );

  it("names the service in the error", () => {
    expect(() => synth("billing", { retryAttempts: 9 })).toThrow(/^ServiceConstruct "billing": /);
  });
});

describe("the shared limits", () => {
  it("allow exactly the log retentions aws-cdk-lib knows, less never expire", () => {
    const cdkDays = Object.values(logs.RetentionDays)
      .filter((days): days is number => typeof days === "number")
      .filter((days) => days !== logs.RetentionDays.INFINITE)
      .sort((a, b) => a - b);
    expect(LOG_RETENTION_DAYS).toEqual(cdkDays);
  });
});

describe("cdk-nag on the construct", () => {
  /**
   * Unacknowledged findings of both packs, as "rule at path" lines, read from the validation
   * report aws-cdk-lib writes into the assembly (acknowledgements are applied there).
   */
  function findings(overrides: Overrides = {}) {
    // Reported in the assembly rather than thrown, so every finding shows.
    const app = new App({ context: { "@aws-cdk/core:failSynthOnValidationErrors": false } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(), new ServerlessChecks());
    synth("orders", overrides, app);
    const report = JSON.parse(
      readFileSync(join(app.synth().directory, "validation-report.json"), "utf8"),
    );
    return report.pluginReports.flatMap(
      (plugin: { violations: Array<{ ruleName: string; violatingConstructs: unknown[] }> }) =>
        plugin.violations.flatMap((violation) =>
          violation.violatingConstructs.map(
            (construct) =>
              `${violation.ruleName} at ${(construct as { constructPath: string }).constructPath}`,
          ),
        ),
    );
  }

  it("leaves nothing unacknowledged (AwsSolutions and Serverless packs)", () => {
    expect(findings()).toEqual([]);
  });

  it("leaves nothing unacknowledged with an alarm topic", () => {
    expect(findings({ withTopic: true })).toEqual([]);
  });

  it("leaves the finding of a choice against the defaults to its user: tracing disabled", () => {
    expect(findings({ tracing: lambda.Tracing.DISABLED })).toEqual([
      "Serverless-LambdaTracing at TestStack/orders/Function/Resource",
    ]);
  });

  it("acknowledges each finding on the resource it is about, with its reason", () => {
    const { service } = synth();
    const acknowledged = (construct: {
      node: { metadata: Array<{ type: string; data: unknown }> };
    }) =>
      Object.assign(
        {},
        ...construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .map((entry) => entry.data),
      );
    const child = (construct: { node: { defaultChild?: unknown } }) =>
      construct.node.defaultChild as { node: { metadata: Array<{ type: string; data: unknown }> } };
    expect(Object.keys(acknowledged(child(service.deadLetterQueue)))).toEqual([
      "AwsSolutions::AwsSolutions-SQS3",
      "Serverless::Serverless-SQSRedrivePolicy",
    ]);
    expect(Object.keys(acknowledged(child(service.function)))).toEqual([
      "Serverless::Serverless-LambdaDLQ",
    ]);
    const role = acknowledged(child(service.function.role as never));
    expect(role).toEqual({
      "AwsSolutions::AwsSolutions-IAM5[Resource::*]": expect.stringMatching(
        /^Only the WriteTraces statement has Resource \*: X-Ray/,
      ),
      "Serverless::Serverless-LambdaStarPermissions": expect.stringMatching(
        /^Only the WriteTraces statement/,
      ),
    });
  });
});

describe("ServiceConstruct subscriptions", () => {
  const app = new App();
  const stack = new Stack(app, "ChainStack", {
    env: { account: "123456789012", region: "eu-west-1" },
  });
  const sourceBus = new events.EventBus(stack, "SourceBus", { eventBusName: "source_bus" });
  const outputBus = new events.EventBus(stack, "OutputBus", { eventBusName: "output_bus" });
  const upstream = new ServiceConstruct(stack, "upstream", {
    serviceDirectory,
    eventBus: sourceBus,
    successBus: outputBus,
  });
  const downstream = new ServiceConstruct(stack, "downstream", {
    serviceDirectory,
    eventBus: sourceBus,
    deadLetterQueueName: "ebsvc-downstream-dlq",
    subscriptions: [
      ServiceConstruct.resultsOf(upstream),
      {
        eventBus: sourceBus,
        eventPattern: { source: ["billing"], detail: { total: [{ numeric: [">", 0] }] } },
      },
    ],
  });
  const template = Template.fromStack(stack);
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);

  it("subscribes to another service's results on its success bus, by its alias", () => {
    expect(downstream.subscriptionRules).toHaveLength(2);
    template.hasResourceProperties("AWS::Events::Rule", {
      EventBusName: { Ref: logicalId(outputBus) },
      EventPattern: {
        source: ["lambda"],
        "detail-type": ["Lambda Function Invocation Result - Success"],
        resources: [{ Ref: logicalId(upstream.alias) }],
      },
      Description: "Success results of service upstream: to service downstream",
      Targets: [
        {
          Arn: { Ref: logicalId(downstream.alias) },
          DeadLetterConfig: {
            Arn: { "Fn::GetAtt": [logicalId(downstream.deadLetterQueue), "Arn"] },
          },
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        },
      ],
    });
  });

  it("subscribes to an arbitrary pattern on a bus", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      EventBusName: { Ref: logicalId(sourceBus) },
      EventPattern: { source: ["billing"], detail: { total: [{ numeric: [">", 0] }] } },
      Targets: [Match.objectLike({ Arn: { Ref: logicalId(downstream.alias) } })],
    });
  });

  it("lets each of its rules, and only those, invoke the alias and fill the DLQ", () => {
    const rules = [downstream.rule, ...downstream.subscriptionRules].map(logicalId);
    for (const rule of rules) {
      template.hasResourceProperties("AWS::Lambda::Permission", {
        FunctionName: { Ref: logicalId(downstream.alias) },
        Principal: "events.amazonaws.com",
        SourceArn: { "Fn::GetAtt": [rule, "Arn"] },
      });
    }
    const policy = Object.values(template.findResources("AWS::SQS::QueuePolicy")).find((p) =>
      JSON.stringify(p.Properties.Queues).includes(logicalId(downstream.deadLetterQueue)),
    );
    const sourceArns = policy?.Properties.PolicyDocument.Statement.filter(
      (s: { Effect: string }) => s.Effect === "Allow",
    ).map(
      (s: { Condition: { ArnEquals: { "aws:SourceArn": unknown } } }) =>
        s.Condition.ArnEquals["aws:SourceArn"],
    );
    expect(sourceArns).toEqual(rules.map((rule) => ({ "Fn::GetAtt": [rule, "Arn"] })));
  });

  it("names the dead-letter queue when asked, and refuses a name SQS would", () => {
    template.hasResourceProperties("AWS::SQS::Queue", { QueueName: "ebsvc-downstream-dlq" });
    expect(() => synth("named", { deadLetterQueueName: "has spaces" })).toThrow(
      'ServiceConstruct "named": deadLetterQueueName is "has spaces"; allowed: 1 to 80 letters, digits, hyphens and underscores',
    );
    expect(() =>
      synth("empty", {
        subscriptions: [
          { eventBus: events.EventBus.fromEventBusName(new Stack(), "B", "b"), eventPattern: {} },
        ],
      }),
    ).toThrow(
      'ServiceConstruct "empty": subscriptions[0].eventPattern is {}; allowed: a pattern with at least one field',
    );
  });
});

describe("ServiceConstruct subscriptions across stacks", () => {
  it("spells out a named upstream's alias ARN, so the subscriber's stack imports nothing", () => {
    const app = new App();
    const env = { account: "123456789012", region: "eu-west-1" };
    const first = new Stack(app, "First", { env });
    const second = new Stack(app, "Second", { env });
    const busIn = (stack: Stack) => events.EventBus.fromEventBusName(stack, "Output", "output_bus");
    const upstream = new ServiceConstruct(first, "upstream", {
      serviceDirectory,
      eventBus: busIn(first),
      functionName: "ebsvc-upstream",
    });
    new ServiceConstruct(second, "downstream", {
      serviceDirectory,
      eventBus: busIn(second),
      subscriptions: [ServiceConstruct.resultsOf(upstream)],
    });
    const template = Template.fromStack(second);
    template.hasResourceProperties("AWS::Events::Rule", {
      EventBusName: "output_bus",
      EventPattern: {
        source: ["lambda"],
        resources: [
          {
            "Fn::Join": [
              "",
              [
                "arn:",
                { Ref: "AWS::Partition" },
                ":lambda:eu-west-1:123456789012:function:ebsvc-upstream:live",
              ],
            ],
          },
        ],
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain("Fn::ImportValue");
    expect(Object.keys(Template.fromStack(first).toJSON().Outputs ?? {})).not.toContainEqual(
      expect.stringMatching(/^ExportsOutput/),
    );
    Template.fromStack(first).hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: "ebsvc-upstream",
    });
  });

  it("refuses a function name Lambda would", () => {
    expect(() => synth("named", { functionName: "x".repeat(65) })).toThrow(
      /ServiceConstruct "named": functionName is "x{65}"; allowed: 1 to 64 letters, digits, hyphens and underscores/,
    );
  });
});
