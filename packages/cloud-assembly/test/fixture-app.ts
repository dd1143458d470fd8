import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServiceConstruct } from "@ebsvc/service-construct";
import { App, Duration, Stack } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";

export const ACCOUNT = "111122223333";
export const REGION = "eu-west-1";

/** A service folder as the construct needs it: it only stages and hashes it at synth. */
function serviceFolder(root: string): string {
  const dir = join(root, "services", "steady");
  mkdirSync(join(dir, "dist"), { recursive: true });
  writeFileSync(
    join(dir, "Dockerfile"),
    'FROM scratch\nCOPY dist/ /var/task/\nCMD ["index.handler"]\n',
  );
  writeFileSync(join(dir, "dist", "index.mjs"), "export const handler = async () => ({});\n");
  return dir;
}

/**
 * Synthesizes, with the real ServiceConstruct, a stack with source_bus and output_bus and a
 * service `steady` whose results go to output_bus. Returns the cloud assembly folder.
 */
export function synthFixtureApp(): string {
  const root = mkdtempSync(join(tmpdir(), "cloud-assembly-fixture-"));
  const outdir = join(root, "cdk.out");
  const app = new App({ outdir });
  const stack = new Stack(app, "FixtureStack", { env: { account: ACCOUNT, region: REGION } });
  const sourceBus = new events.EventBus(stack, "SourceBus", { eventBusName: "source_bus" });
  const outputBus = new events.EventBus(stack, "OutputBus", { eventBusName: "output_bus" });
  new ServiceConstruct(stack, "steady", {
    serviceDirectory: serviceFolder(root),
    eventBus: sourceBus,
    successBus: outputBus,
    timeout: Duration.seconds(2),
  });
  app.synth();
  return outdir;
}
