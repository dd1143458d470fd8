import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ServiceConstruct } from "@ebsvc/service-construct";
import { SOURCE_BUS } from "@ebsvc/service-contract";
import { App, Stack } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import { ACCOUNT, REGION } from "./fixture-app.js";

/**
 * Synthesizes, with the real ServiceConstruct, an app of the given service folders (each
 * named after its folder, on source_bus, results back to it, as backtosource), for tests that
 * edit services: copies of real ones in temporary folders. Returns the cloud assembly folder.
 */
export function synthServicesApp(serviceDirectories: readonly string[]): string {
  const outdir = mkdtempSync(join(tmpdir(), "local-cloud-services-"));
  const app = new App({ outdir });
  const stack = new Stack(app, "ServicesStack", { env: { account: ACCOUNT, region: REGION } });
  const sourceBus = new events.EventBus(stack, "SourceBus", { eventBusName: SOURCE_BUS });
  for (const directory of serviceDirectories) {
    new ServiceConstruct(stack, basename(directory), {
      serviceDirectory: directory,
      eventBus: sourceBus,
    });
  }
  app.synth();
  return outdir;
}
