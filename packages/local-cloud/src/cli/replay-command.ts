import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type LocalModel, readModel } from "@ebsvc/cloud-assembly";
import { appAssembly } from "../dev/app-root.js";
import { startEnvironment } from "../environment.js";
import type { StartReplayResult } from "../replay-api.js";
import { startReplay } from "../replay-api.js";
import { parseDuration } from "./cli-args.js";
import { CliError, UsageError } from "./cli-error.js";
import { defaultStateFile, endpointFile, readEndpointFile } from "./state-location.js";

export const REPLAY_USAGE =
  "usage: pnpm replay -- --bus <bus> [--since 10m] [--until <ISO time>|<duration ago>] [--rule <name>] [--state <file>] [--assembly <dir>]";

/**
 * `pnpm replay`: replays a bus's archived events as StartReplay does, to the running
 * environment (its endpoint file) or, when none runs, in process on the state file.
 */
export async function replayCommand(args: readonly string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: args[0] === "--" ? args.slice(1) : [...args],
      options: {
        bus: { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
        rule: { type: "string" },
        state: { type: "string" },
        assembly: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]}\n${REPLAY_USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${REPLAY_USAGE}\n`);
    return 0;
  }
  const busName = values.bus as string | undefined;
  if (!busName) throw new UsageError(`--bus is missing\n${REPLAY_USAGE}`);
  const now = Date.now();
  const from =
    values.since === undefined ? 0 : now - seconds("since", values.since as string) * 1000;
  const to = values.until === undefined ? now : time("until", values.until as string, now);
  const assembly = resolve((values.assembly as string | undefined) ?? appAssembly());
  if (!existsSync(resolve(assembly, "manifest.json"))) {
    throw new CliError(
      `no cloud assembly at ${assembly}: run pnpm synth first, or pass --assembly <dir>`,
    );
  }
  const model = readModel(assembly);
  const bus = model.buses.find((b) => b.name === busName || b.arn === busName);
  if (!bus) {
    throw new UsageError(
      `--bus is ${JSON.stringify(busName)}, which the app does not have; its buses: ${model.buses.map((b) => b.name).join(", ")}`,
    );
  }
  const archives = model.archives.filter((a) => a.busName === bus.name);
  if (archives.length === 0)
    throw new CliError(`bus ${bus.name} has no archive: nothing to replay`);
  const rule = values.rule as string | undefined;
  const ruleArn =
    rule === undefined
      ? undefined
      : model.rules.find((r) => r.busName === bus.name && r.name === rule)?.arn;
  if (rule !== undefined && !ruleArn) {
    throw new UsageError(
      `--rule is ${JSON.stringify(rule)}, which bus ${bus.name} does not have; its rules: ${model.rules
        .filter((r) => r.busName === bus.name)
        .map((r) => r.name)
        .join(", ")}`,
    );
  }
  const requests = archives.map((archive) => ({
    ReplayName: `local-${new Date(now).toISOString().replace(/[:.]/g, "-")}`,
    EventSourceArn: archive.arn,
    EventStartTime: from / 1000,
    EventEndTime: to / 1000,
    Destination: { Arn: bus.arn, ...(ruleArn && { FilterArns: [ruleArn] }) },
  }));
  const stateFile = resolve(
    (values.state as string | undefined) ?? defaultStateFile(values.assembly as string | undefined),
  );
  const running = readEndpointFile(endpointFile(stateFile));
  let replayed = 0;
  if (running) {
    for (const request of requests)
      replayed += (await overHttp(running, request)).LocalReplayedEventCount;
  } else {
    replayed = await inProcess(assembly, stateFile, model, requests);
  }
  process.stdout.write(
    `replayed ${replayed} event(s) from ${archives.map((a) => a.name).join(", ")} to ${rule ?? `the rules of ${bus.name}`}${running ? ` (environment at ${running})` : ""}\n`,
  );
  return 0;
}

function seconds(flag: string, text: string): number {
  const value = parseDuration(text);
  if (value === undefined)
    throw new UsageError(
      `--${flag} is ${JSON.stringify(text)}; allowed: a duration such as 90s, 10m, 2h, 1d`,
    );
  return value;
}

function time(flag: string, text: string, now: number): number {
  const ago = parseDuration(text);
  if (ago !== undefined) return now - ago * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at))
    throw new UsageError(
      `--${flag} is ${JSON.stringify(text)}; allowed: an ISO time (2026-11-30T17:00:00Z) or a duration ago (10m)`,
    );
  return at;
}

async function overHttp(url: string, request: object): Promise<StartReplayResult> {
  const answer = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSEvents.StartReplay",
    },
    body: JSON.stringify(request),
  });
  const body = (await answer.json()) as StartReplayResult & { message?: string; __type?: string };
  if (!answer.ok) throw new CliError(`StartReplay failed: ${body.__type}: ${body.message}`);
  return body;
}

async function inProcess(
  assembly: string,
  stateFile: string,
  model: LocalModel,
  requests: object[],
): Promise<number> {
  const environment = await startEnvironment({ assembly, stateFile });
  try {
    let replayed = 0;
    for (const request of requests) {
      replayed += startReplay(request as never, environment.cloud, model).LocalReplayedEventCount;
    }
    await environment.cloud.settled();
    return replayed;
  } finally {
    await environment.stop();
  }
}
