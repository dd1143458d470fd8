#!/usr/bin/env node
import { parseCliArgs, USAGE, UsageError } from "./cli-args.js";
import { type RunningEmulator, startEmulator } from "./emulator.js";
import { INVOKE_PATH_EXAMPLE } from "./invoke-api.js";

/** Exit code for a command line that cannot run, as most CLIs use. */
const EXIT_USAGE = 2;

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCliArgs>;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    return fail(error);
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ ...options, output: process.stdout });
  } catch (error) {
    return fail(error);
  }
  const { host = "127.0.0.1" } = options;
  process.stdout.write(
    `lambda-emulator: listening on http://${host.includes(":") ? `[${host}]` : host}:${emulator.port}` +
      ` - invoke with: curl -d '{}' ${emulator.url}${INVOKE_PATH_EXAMPLE}\n`,
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal means "now": the exit handler kills what is left.
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`lambda-emulator: ${signal}, stopping\n`);
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`lambda-emulator: stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

/** One line on stderr, no stack: the message says what was wrong and what is allowed. */
function fail(error: unknown): void {
  const message =
    error instanceof Error ? error.message.replace(/^lambda-emulator: /, "") : String(error);
  process.stderr.write(`lambda-emulator: ${message}\n`);
  const usage = error instanceof UsageError || error instanceof RangeError;
  process.exitCode = usage ? EXIT_USAGE : 1;
}

void main();
