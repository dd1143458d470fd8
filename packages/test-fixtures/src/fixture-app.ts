import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ServiceConstruct } from "@ebsvc/service-construct";
import { OUTPUT_BUS, SOURCE_BUS } from "@ebsvc/service-contract";
import { App, Duration, Stack } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as sqs from "aws-cdk-lib/aws-sqs";

/** The behaving service's folder (dist/ is committed: it is the fixture). */
export const FIXTURE_SERVICE = join(
  dirname(dirname(fileURLToPath(import.meta.url))),
  "behaving-service",
);
export const ACCOUNT = "111122223333";
export const REGION = "eu-west-1";

/**
 * Synthesizes, with the real ServiceConstruct, an app whose services run the behaving fixture:
 * - `steady` (2 retries, results to output_bus), `once` (no retry, 128 MB), `stale` (60 s max age),
 *   all on source_bus;
 * - a rule for source `orphan` whose target function does not exist, with a DLQ;
 * - a rule for source `transform` whose queue targets get the event through an input
 *   transformer (JSON object, and string), an InputPath and a constant Input.
 * Returns the cloud assembly folder.
 */
export function synthFixtureApp(): string {
  const outdir = mkdtempSync(join(tmpdir(), "local-cloud-fixture-"));
  const app = new App({ outdir });
  const stack = new Stack(app, "FixtureStack", { env: { account: ACCOUNT, region: REGION } });
  const sourceBus = new events.EventBus(stack, "SourceBus", { eventBusName: SOURCE_BUS });
  const outputBus = new events.EventBus(stack, "OutputBus", { eventBusName: OUTPUT_BUS });
  const common = {
    serviceDirectory: FIXTURE_SERVICE,
    eventBus: sourceBus,
    timeout: Duration.seconds(2),
  };
  new ServiceConstruct(stack, "steady", { ...common, successBus: outputBus });
  new ServiceConstruct(stack, "once", { ...common, retryAttempts: 0, memorySize: 128 });
  new ServiceConstruct(stack, "stale", { ...common, maxEventAge: Duration.seconds(60) });

  const orphanQueue = new sqs.Queue(stack, "OrphanDeadLetters");
  new events.Rule(stack, "OrphanRule", {
    eventBus: sourceBus,
    eventPattern: { source: ["orphan"] },
    targets: [
      new targets.LambdaFunction(
        lambda.Function.fromFunctionArn(
          stack,
          "Gone",
          `arn:aws:lambda:${REGION}:${ACCOUNT}:function:gone`,
        ),
        { deadLetterQueue: orphanQueue, retryAttempts: 2, maxEventAge: Duration.hours(1) },
      ),
    ],
  });
  const field = events.EventField;
  const queueTarget = (id: string, message: events.RuleTargetInput) =>
    new targets.SqsQueue(new sqs.Queue(stack, id, { queueName: id }), { message });
  new events.Rule(stack, "TransformRule", {
    eventBus: sourceBus,
    eventPattern: { source: ["transform"] },
    targets: [
      queueTarget(
        "transformed-object",
        events.RuleTargetInput.fromObject({
          instance: field.fromPath("$.detail.instance-id"),
          state: field.fromPath("$.detail.state"),
          sentence: `${field.fromPath("$.detail.instance-id")} is in state ${field.fromPath("$.detail.state")}`,
          tags: field.fromPath("$.detail.tags"),
          // EventBridge's predefined variables, which CDK has no EventField for.
          rule: "<aws.events.rule-name>",
          ruleArn: "<aws.events.rule-arn>",
          eventJson: "<aws.events.event.json>",
          original: field.fromPath("$"),
        }),
      ),
      queueTarget(
        "transformed-text",
        events.RuleTargetInput.fromText(
          `instance ${field.fromPath("$.detail.instance-id")} is in ${field.fromPath("$.detail.state")}`,
        ),
      ),
      queueTarget("detail-only", events.RuleTargetInput.fromEventPath("$.detail")),
      queueTarget("constant", events.RuleTargetInput.fromObject({ fixed: true })),
    ],
  });
  app.synth();
  return outdir;
}

/**
 * An app with two scheduled rules on the default bus, each to its own queue: `rate(1 minute)`,
 * and `cron(0/5 * * * ? *)` whose target gets the rule name and the event time through an
 * input transformer. Returns the cloud assembly folder.
 */
export function synthScheduleApp(): string {
  const outdir = mkdtempSync(join(tmpdir(), "local-cloud-schedules-"));
  const app = new App({ outdir });
  const stack = new Stack(app, "ScheduleStack", { env: { account: ACCOUNT, region: REGION } });
  new events.Rule(stack, "EveryMinute", {
    schedule: events.Schedule.rate(Duration.minutes(1)),
    targets: [new targets.SqsQueue(new sqs.Queue(stack, "minutes", { queueName: "minutes" }))],
  });
  new events.Rule(stack, "EveryFiveMinutes", {
    schedule: events.Schedule.expression("cron(0/5 * * * ? *)"),
    targets: [
      new targets.SqsQueue(new sqs.Queue(stack, "five-minutes", { queueName: "five-minutes" }), {
        message: events.RuleTargetInput.fromObject({
          rule: "<aws.events.rule-name>",
          time: events.EventField.time,
        }),
      }),
    ],
  });
  app.synth();
  return outdir;
}
