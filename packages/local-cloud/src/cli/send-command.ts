import type { Observation } from "../engine/observations.js";
import { AwsError } from "../protocols/aws-error.js";
import { putEvents } from "../protocols/events-api.js";
import { isJsonObject } from "../protocols/json-input.js";
import { parseSendArgs, SEND_USAGE } from "./cli-args.js";
import { CliError, UsageError } from "./cli-error.js";
import { jsonLine, queueMessage } from "./event-lines.js";
import { runEnvironment } from "./run-environment.js";

/**
 * `pnpm send`: starts the environment, puts one event through PutEvents' own validation,
 * waits until everything it caused has settled, prints every bus event and queue message.
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
