import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ServiceConstruct } from "@ebsvc/service-construct";
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
 * - `steady` (2 retries, results to output_bus), `once` (no retry), `stale` (60 s max age),
 *   all on source_bus;
 * - a rule for source `orphan` whose target function does not exist, with a DLQ.
 * Returns the cloud assembly folder.
 */
export function synthFixtureApp(): string {
  const outdir = mkdtempSync(join(tmpdir(), "local-cloud-fixture-"));
  const app = new App({ outdir });
  const stack = new Stack(app, "FixtureStack", { env: { account: ACCOUNT, region: REGION } });
  const sourceBus = new events.EventBus(stack, "SourceBus", { eventBusName: "source_bus" });
  const outputBus = new events.EventBus(stack, "OutputBus", { eventBusName: "output_bus" });
  const common = {
    serviceDirectory: FIXTURE_SERVICE,
    eventBus: sourceBus,
    timeout: Duration.seconds(2),
  };
  new ServiceConstruct(stack, "steady", { ...common, successBus: outputBus });
  new ServiceConstruct(stack, "once", { ...common, retryAttempts: 0 });
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
  app.synth();
  return outdir;
}
