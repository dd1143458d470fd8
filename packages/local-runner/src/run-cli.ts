#!/usr/bin/env node
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { watchAncestors } from "@ebsvc/service-image";
import { integerOption } from "./integer-option.js";
import { type Mode, runLocal } from "./run-local.js";
import { UsageError } from "./usage-error.js";

const USAGE = `Usage: run-local [service-dir] [--port 9000] [--timeout S] [--concurrency N] [--mode auto|docker|host] [--base-image IMAGE] [--inspect[=9229]] [--no-watch]

Serves a service behind the Lambda invoke API: its image in Docker when an engine answers
(behind the official RIE if installed, else lambda-emulator), else its runtime on the host.
The base image defaults to $BASE_IMAGE, else the Dockerfile's own.
On the host it re-bundles on every save under src/ (--no-watch to stop that); --inspect runs
the runtime under Node's inspector (one process, timeout suspended) for a debugger to attach.`;

/** Node's own default inspector port. */
const DEFAULT_INSPECT_PORT = 9229;

async function main(): Promise<void> {
  // pnpm passes a literal -- before script arguments (`run local -- --inspect`): not an
  // argument. A bare --inspect means Node's default port, as for node itself.
  const args = process.argv
    .slice(2)
    .filter((arg) => arg !== "--")
    .map((arg) => (arg === "--inspect" ? `--inspect=${DEFAULT_INSPECT_PORT}` : arg));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    allowNegative: true,
    options: {
      inspect: { type: "string" },
      watch: { type: "boolean" },
      port: { type: "string" },
      timeout: { type: "string" },
      concurrency: { type: "string" },
      mode: { type: "string" },
      "base-image": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length > 1)
    throw new UsageError(`one service folder at most; got ${positionals.join(" ")}`);
  const mode = values.mode ?? "auto";
  if (!["auto", "docker", "host"].includes(mode)) {
    throw new UsageError(`--mode is ${JSON.stringify(mode)}; allowed: auto, docker, host`);
  }
  const serviceDir = resolve(positionals[0] ?? ".");
  const id = basename(serviceDir);
  const port = integerOption("--port", values.port, 65_535) ?? 9000;
  const baseImage = values["base-image"];
  if (baseImage !== undefined && !/^[^\s]+$/.test(baseImage)) {
    throw new UsageError(
      `--base-image is ${JSON.stringify(baseImage)}; expected: an image reference such as node:24-bookworm-slim`,
    );
  }

  const inspectPort = integerOption("--inspect", values.inspect, 65_535);
  let modeDescription = "";
  const running = await runLocal({
    watch: values.watch !== false,
    inspectPort,
    onReload: (message) => console.log(message),
    serviceDir,
    port,
    timeoutSeconds: integerOption("--timeout", values.timeout, 900),
    concurrency: integerOption("--concurrency", values.concurrency, 1_000),
    mode: mode as Mode,
    baseImage: baseImage ?? process.env.BASE_IMAGE,
    onMode: (description) => {
      modeDescription = description;
      console.log(`${id}: running ${description}`);
    },
  });
  console.log(
    `${id}: listening on http://localhost:${port}/2015-03-31/functions/function/invocations`,
  );
  console.log(
    `Call it with: pnpm --filter ${id} run call [JSON or file]   (or: curl -d '{"message": "Hello World"}' http://localhost:${port}/2015-03-31/functions/function/invocations)`,
  );
  if (inspectPort !== undefined) {
    console.log(
      `${id}: debugger: attach to 127.0.0.1:${inspectPort} (VS Code: "Attach to a service runtime"); one runtime process, timeout suspended while --inspect`,
    );
  }
  if (running.mode === "docker") {
    console.log(
      `${id}: not watching: Docker runs the image it built; restart after a change, or pass --mode host to reload on save`,
    );
  } else if (running.watching) {
    console.log(`${id}: watching src/: a save re-bundles it and new invocations run the new code`);
  }
  console.log("Stop it with Ctrl-C.");

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${id}: stopping (${why})`);
    await running.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  watchAncestors(() => void stop("the process that started it exited"));
  await running.exited;
  if (!stopping) {
    console.error(
      `${id}: the ${running.mode === "docker" ? "container" : "emulator"} stopped (${modeDescription})`,
    );
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE" || /EADDRINUSE/.test(String((error as Error).message))) {
    console.error(
      "run-local: the port is already in use: stop what listens there, or pass --port N",
    );
  } else if (
    error instanceof UsageError ||
    (error as Error).name === "UsageError" ||
    code?.startsWith("ERR_PARSE_ARGS")
  ) {
    console.error(`run-local: ${(error as Error).message}`);
  } else {
    console.error(`run-local: ${(error as Error).stack ?? error}`);
  }
  process.exit(2);
});
