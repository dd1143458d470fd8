import { openBrowser } from "../console/open-browser.js";
import type { Observation } from "../engine/observations.js";
import { parseStartArgs, START_USAGE } from "./cli-args.js";
import { jsonLine, readableLine } from "./event-lines.js";
import { runEnvironment } from "./run-environment.js";

/**
 * `pnpm start`: builds, synthesizes and runs the app locally; serves PutEvents and SQS;
 * prints every bus event and queue message as it happens, until interrupted.
 */
export async function startCommand(args: readonly string[]): Promise<number> {
  const options = parseStartArgs(args);
  if (!options) {
    process.stdout.write(`${START_USAGE}\n`);
    return 0;
  }
  let print: (observation: Observation) => void = () => {};
  const environment = await runEnvironment(options, (observation) => print(observation), {
    host: options.host,
    port: options.port,
  });
  const { model } = environment;
  print = (observation) => {
    if (observation.kind === "notice") {
      process.stderr.write(`note: ${observation.message}\n`);
      return;
    }
    const line = options.json ? jsonLine(observation) : readableLine(observation, model);
    if (line !== undefined) process.stdout.write(`${line}\n`);
  };
  const services = model.functions.flatMap((fn) => (fn.service ? [fn.service.id] : []));
  process.stderr.write(
    [
      `Local environment of ${options.assembly ?? "apps/infra/cdk.out"} (account ${model.place.account}, region ${model.place.region})`,
      `  buses:    ${model.buses.map((bus) => bus.name).join(", ")}`,
      `  services: ${services.join(", ") || "(none)"}`,
      `  PutEvents and SQS endpoint: ${environment.url}  (e.g. new EventBridgeClient({ endpoint: "${environment.url}" }))`,
      `  Console: ${environment.url}/${options.open ? "" : "  (--open opens it)"}`,
      "Ctrl-C stops.",
      "",
    ].join("\n"),
  );
  if (options.open) openBrowser(`${environment.url}/`, (line) => process.stderr.write(`${line}\n`));

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await environment.stop();
  return 0;
}
