import { join, relative } from "node:path";
import { OUTPUT_BUS, SOURCE_BUS, subscriptionWarnings } from "@ebsvc/service-contract";
import { App } from "aws-cdk-lib";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { discoverServices } from "./discover-services.js";
import { addNagChecks, checkFindings, NAG_CONTEXT } from "./nag-checks.js";
import { arnPlaceOf, loadSecrets } from "./secrets.js";
import { EventBridgeServicesStack } from "./services-stack.js";
import { wireServices } from "./wire-services.js";

export const STACK_NAME = "EventBridgeServicesStack";

export interface CreateAppOptions {
  /** The repository root: where secrets.json and services/ are. */
  readonly repoRoot: string;
  /** Where to write the cloud assembly. @default what the CDK CLI says, else a temp folder */
  readonly outdir?: string;
  /** Told when there is no secrets.json. @default prints one line to stderr */
  readonly onEnvironmentAgnostic?: () => void;
  /** Told each warning about a service's settings. @default prints it to stderr */
  readonly onWarning?: (line: string) => void;
}

/**
 * The whole app: a stack holding the buses, and every service found under services/ in the
 * shard stack its id hashes to,
 * checked by cdk-nag's AwsSolutions and Serverless packs whenever it is synthesized.
 */
export function createApp(options: CreateAppOptions): App {
  const secrets = loadSecrets(join(options.repoRoot, "secrets.json"));
  const services = discoverServices(
    join(options.repoRoot, "services"),
    options.repoRoot,
    secrets && arnPlaceOf(secrets),
  );
  const warn = options.onWarning ?? ((line: string) => console.error(`Warning: ${line}`));
  for (const service of services) {
    const file = relative(options.repoRoot, join(service.directory, "package.json"));
    for (const line of subscriptionWarnings(service.settings)) warn(`${file}: ${line}`);
  }
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
  // autoSynth off: the caller synthesizes (see synthesize), once, where it chooses.
  const app = new App({
    outdir: options.outdir,
    autoSynth: false,
    stackTraces: false,
    context: {
      "aws:cdk:disable-creation-stack-traces": true,
      "aws:cdk:disable-stack-trace": true,
      ...NAG_CONTEXT,
    },
  });
  addNagChecks(app);
  const env = secrets && { account: secrets.account, region: secrets.region };
  const busStack = new EventBridgeServicesStack(app, STACK_NAME, {
    description: `EventBridge choreography: ${SOURCE_BUS} and ${OUTPUT_BUS}, shared by the service stacks`,
    env,
    existingBuses: secrets?.existingBuses,
  });
  wireServices(app, { busStack, services, env, alarmTopicArn: secrets?.alarmTopicArn });
  return app;
}

/**
 * Synthesizes the app and checks it: an unacknowledged cdk-nag finding throws
 * UnacknowledgedFindings, listing every finding.
 */
export function synthesize(app: App): CloudAssembly {
  const assembly = app.synth();
  checkFindings(assembly.directory);
  return assembly;
}
