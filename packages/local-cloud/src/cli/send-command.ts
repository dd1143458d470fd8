import { resolve } from "node:path";
import { appAssembly } from "../dev/app-root.js";
import type { EnvironmentInfo } from "../dev/local-routes.js";
import { environmentAt, RemoteRefusal, sendToRunning } from "../dev/remote-send.js";
import type { Observation } from "../engine/observations.js";
import { isJsonObject } from "../protocols/json-input.js";
import { parseSendArgs, SEND_USAGE, type SendOptions } from "./cli-args.js";
import { CliError, UsageError } from "./cli-error.js";
import { jsonLine, queueMessage } from "./event-lines.js";
import { defaultStateFile, endpointFile, readEndpointFile } from "./state-location.js";

/** Where `pnpm start` listens unless told otherwise. */
const DEFAULT_ENDPOINT = "http://127.0.0.1:4010";

/**
 * `pnpm send`: puts one event through PutEvents' own validation, waits until everything it
 * caused has settled, prints every bus event and queue message. It sends to the running
 * environment (`pnpm start`) of the app when there is one, else starts one for the event.
 */
export async function sendCommand(args: readonly string[]): Promise<number> {
  const options = parseSendArgs(args);
  if (!options) {
    process.stdout.write(`${SEND_USAGE}\n`);
    return 0;
  }
  // A detail that is not a JSON object fails before anything is built or started.
  if (!isJsonObjectText(options.detail)) {
    throw new UsageError(
      `--detail is ${JSON.stringify(options.detail.slice(0, 80))}; expected: a JSON object, e.g. '{"message":"Hello World"}'`,
    );
  }
  const running = await runningEnvironment(options);
  if (running) return sendToRunningEnvironment(options, running);
  return sendWithOwnEnvironment(options);
}

/** No environment runs: start one for this event, and stop it once the event has settled. */
async function sendWithOwnEnvironment(options: SendOptions): Promise<number> {
  const [{ runEnvironment }, { AwsError }, { putEvents }] = await Promise.all([
    import("./run-environment.js"),
    import("../protocols/aws-error.js"),
    import("../protocols/events-api.js"),
  ]);
  const observations: Observation[] = [];
  const environment = await runEnvironment(options, (observation) => {
    if (observation.kind === "notice") process.stderr.write(`note: ${observation.message}\n`);
    else if (observation.kind === "bus" || observation.kind === "queue") {
      observations.push(observation);
    }
  });
  try {
    if (!environment.cloud.findBus(options.bus)) {
      throw new UsageError(
        `--bus is ${JSON.stringify(options.bus)}, which the app does not have; its buses: ${environment.model.buses.map((bus) => bus.name).join(", ")}`,
      );
    }
    let result: ReturnType<typeof putEvents>;
    try {
      result = putEvents(
        {
          Entries: [
            {
              EventBusName: options.bus,
              Source: options.source,
              DetailType: options.detailType,
              Detail: options.detail,
              Resources: options.resources,
            },
          ],
        },
        environment.eventsApi,
      );
    } catch (error) {
      if (error instanceof AwsError) throw new UsageError(`${error.type}: ${error.message}`);
      throw error;
    }
    const [entry] = result.Entries;
    if (entry && "ErrorCode" in entry) {
      throw new UsageError(`the event was refused: ${entry.ErrorCode}: ${entry.ErrorMessage}`);
    }
    const settled = await Promise.race([
      environment.cloud.settled().then(() => true),
      new Promise<false>((resolve) =>
        setTimeout(resolve, options.waitSeconds * 1000, false).unref(),
      ),
    ]);
    for (const observation of observations) {
      process.stdout.write(options.json ? `${jsonLine(observation)}\n` : pretty(observation));
    }
    if (!settled) {
      throw new CliError(
        `not settled after ${options.waitSeconds} s (retries wait minutes, as on AWS); pass --time-scale 0.01 to shorten AWS's waits, or --wait <seconds>`,
      );
    }
    return 0;
  } finally {
    await environment.stop();
  }
}

/** The `pnpm start` of this app, if one runs: --endpoint, .local-cloud/<app>.endpoint.json, port 4010. */
async function runningEnvironment(
  options: SendOptions,
): Promise<{ url: string; info: EnvironmentInfo } | undefined> {
  if (options.endpoint) {
    const info = await environmentAt(options.endpoint);
    if (!info) {
      throw new CliError(
        `nothing answers at ${options.endpoint}/_local/info: is pnpm start running there? (drop --endpoint to start an environment for this event)`,
      );
    }
    return { url: options.endpoint, info };
  }
  // Only an environment of the same app will do: another checkout's, or another assembly's,
  // would run other code.
  const assembly = resolve(options.assembly ?? appAssembly());
  const candidates = [
    readEndpointFile(endpointFile(defaultStateFile(options.assembly))),
    DEFAULT_ENDPOINT,
  ].filter((url, index, all): url is string => url !== undefined && all.indexOf(url) === index);
  for (const url of candidates) {
    const info = await environmentAt(url);
    if (info?.assembly === assembly) return { url, info };
  }
  return undefined;
}

async function sendToRunningEnvironment(
  options: SendOptions,
  running: { url: string; info: EnvironmentInfo },
): Promise<number> {
  const { url, info } = running;
  if (!options.bus.startsWith("arn:") && !info.buses.includes(options.bus)) {
    throw new UsageError(
      `--bus is ${JSON.stringify(options.bus)}, which the app does not have; its buses: ${info.buses.join(", ")}`,
    );
  }
  process.stderr.write(`note: sent to the running environment at ${url} (pid ${info.pid})\n`);
  let result: Awaited<ReturnType<typeof sendToRunning>>;
  try {
    result = await sendToRunning(
      url,
      {
        EventBusName: options.bus,
        Source: options.source,
        DetailType: options.detailType,
        Detail: options.detail,
        Resources: options.resources,
      },
      options.waitSeconds * 1000,
    );
  } catch (error) {
    if (error instanceof RemoteRefusal) throw new UsageError(error.message);
    throw new CliError(`the running environment at ${url} stopped answering: ${String(error)}`);
  }
  for (const observation of result.observations) {
    if (observation.kind === "notice") process.stderr.write(`note: ${observation.message}\n`);
    else process.stdout.write(options.json ? `${jsonLine(observation)}\n` : pretty(observation));
  }
  if (!result.settled) {
    throw new CliError(
      `not settled after ${options.waitSeconds} s (retries wait minutes, as on AWS, and the running environment may be busy with other events); pass --wait <seconds>`,
    );
  }
  return 0;
}

function pretty(observation: Observation): string {
  switch (observation.kind) {
    case "bus":
      return `${observation.bus} received:\n${JSON.stringify(observation.event, null, 4)}\n\n`;
    case "queue":
      return `${observation.queue} received:\n${JSON.stringify(queueMessage(observation), null, 4)}\n\n`;
    default:
      return "";
  }
}

function isJsonObjectText(text: string): boolean {
  try {
    return isJsonObject(JSON.parse(text));
  } catch {
    return false;
  }
}
