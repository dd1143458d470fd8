import { resolve } from "node:path";
import { APP_ASSEMBLY_DIR } from "@ebsvc/service-contract";
import { watchAncestors } from "@ebsvc/service-image";
import { openBrowser } from "../console/open-browser.js";
import { appAssembly, appRoot } from "../dev/app-root.js";
import { startDevSession } from "../dev/dev-session.js";
import type { Observation } from "../engine/observations.js";
import { parseStartArgs, START_USAGE } from "./cli-args.js";
import { CliError } from "./cli-error.js";
import { jsonLine, readableLine } from "./event-lines.js";
import { runEnvironment } from "./run-environment.js";
import {
  defaultStateFile,
  endpointFile,
  otherOwner,
  removeEndpointFile,
  removeStateFile,
  writeEndpointFile,
} from "./state-location.js";

/**
 * `pnpm start`: builds, synthesizes and runs the app locally; serves PutEvents and SQS;
 * prints every bus event and queue message as it happens, until interrupted. State (queues,
 * pending work, archives, the event log) is kept in the state file, so a restart resumes.
 */
export async function startCommand(args: readonly string[]): Promise<number> {
  const options = parseStartArgs(args);
  if (!options) {
    process.stdout.write(`${START_USAGE}\n`);
    return 0;
  }
  const stateFile = resolve(options.stateFile ?? defaultStateFile(options.assembly));
  const endpoint = endpointFile(stateFile);
  // Two environments on one state would both run its pending work.
  const owner = otherOwner(endpoint);
  if (owner !== undefined) {
    throw new CliError(
      `state file ${stateFile} is in use by another local-cloud (pid ${owner}, per ${endpoint}); stop it, or pass --state <another file>`,
    );
  }
  if (options.fresh) removeStateFile(stateFile);
  // A signal before the environment is up still stops it, once it is.
  let stopRequested: ((reason: string) => void) | undefined;
  const stopped = new Promise<string>((resolveStop) => {
    stopRequested = resolveStop;
  });
  const onSignal = (signal: NodeJS.Signals) => stopRequested?.(signal);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // pnpm does not pass SIGTERM on to its script: stop when the process that started this goes.
  watchAncestors(() => stopRequested?.("the process that started it exited"));

  let print: (observation: Observation) => void = () => {};
  const environment = await runEnvironment(
    options,
    (observation) => print(observation),
    { host: options.host, port: options.port },
    { file: stateFile, logRetention: options.logRetention },
  );
  let dev: ReturnType<typeof startDevSession>;
  try {
    // Without --assembly, the app this package belongs to was synthesized: it can be again.
    const root = options.assembly === undefined ? appRoot() : undefined;
    dev = startDevSession(
      environment,
      options,
      (line) => process.stderr.write(`${line}\n`),
      root === undefined ? undefined : { root, assembly: appAssembly(root) },
    );
  } catch (error) {
    await environment.stop(0);
    throw error;
  }
  print = (observation) => {
    if (observation.kind === "notice") {
      process.stderr.write(`note: ${observation.message}\n`);
      return;
    }
    // The model changes when a re-synthesis swaps it in.
    const line = options.json
      ? jsonLine(observation)
      : readableLine(observation, environment.model);
    if (line !== undefined) process.stdout.write(`${line}\n`);
  };
  const { model } = environment;
  const services = model.functions.flatMap((fn) => (fn.service ? [fn.service.id] : []));
  const resumed = environment.cloud.pending;
  process.stderr.write(
    [
      `Local environment of ${options.assembly ?? APP_ASSEMBLY_DIR} (account ${model.place.account}, region ${model.place.region})`,
      `  buses:    ${model.buses.map((bus) => bus.name).join(", ")}`,
      `  services: ${services.join(", ") || "(none)"}`,
      `  PutEvents and SQS endpoint: ${environment.url}  (e.g. new EventBridgeClient({ endpoint: "${environment.url}" }); pnpm send sends here)`,
      ...dev.lines,
      `  console: ${environment.url}/${options.open ? "" : "  (--open opens it)"}`,
      `  state: ${stateFile}${resumed > 0 ? ` (resuming ${resumed} pending deliveries and invocations)` : ""}`,
      "Ctrl-C stops.",
      "",
    ].join("\n"),
  );
  // Written after the banner: a client (pnpm send, a test) that finds the file finds it printed.
  if (environment.url) writeEndpointFile(endpoint, environment.url);
  if (options.open) openBrowser(`${environment.url}/`, (line) => process.stderr.write(`${line}\n`));

  const reason = await stopped;
  process.stderr.write(
    `stopping (${reason}): no new requests; running invocations get ${options.graceSeconds} s to finish\n`,
  );
  removeEndpointFile(endpoint);
  await dev.session.stop();
  const pending = await environment.stop(options.graceSeconds * 1000);
  process.stderr.write(
    pending === 0
      ? "stopped: nothing pending\n"
      : `stopped: ${pending} deliveries and invocations pending in ${stateFile}; the next start resumes them\n`,
  );
  return 0;
}
