import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { discoverServices } from "./discover-services.js";
import { loadSecrets } from "./secrets.js";
import { EventBridgeServicesStack } from "./services-stack.js";

export const STACK_NAME = "EventBridgeServicesStack";

export interface CreateAppOptions {
  /** The repository root: where secrets.json and services/ are. */
  readonly repoRoot: string;
  /** Where to write the cloud assembly. @default what the CDK CLI says, else a temp folder */
  readonly outdir?: string;
  /** Told when there is no secrets.json. @default prints one line to stderr */
  readonly onEnvironmentAgnostic?: () => void;
}

/** The whole app: one stack holding the buses and every service found under services/. */
export function createApp(options: CreateAppOptions): App {
  const secrets = loadSecrets(join(options.repoRoot, "secrets.json"));
  const services = discoverServices(join(options.repoRoot, "services"), options.repoRoot);
  if (secrets === undefined) {
    (
      options.onEnvironmentAgnostic ??
      (() =>
        console.error(
          "No secrets.json: synthesizing an environment-agnostic stack (account and region are resolved at deploy time).",
        ))
    )();
  }
  // No creation stack traces in the assembly: they hold absolute paths and call sites, which
  // would make the output differ between checkouts and runs.
  const app = new App({
    outdir: options.outdir,
    stackTraces: false,
    context: { "aws:cdk:disable-creation-stack-traces": true, "aws:cdk:disable-stack-trace": true },
  });
  new EventBridgeServicesStack(app, STACK_NAME, {
    description: "EventBridge choreography: source_bus, output_bus and the services of services/",
    env: secrets && { account: secrets.account, region: secrets.region },
    services,
    existingBuses: secrets?.existingBuses,
  });
  return app;
}
