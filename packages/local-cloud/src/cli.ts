#!/usr/bin/env node
import { CliError } from "./cli/cli-error.js";

const USAGE =
  "usage: local-cloud start [flags] | local-cloud send [flags] | local-cloud replay [flags]   (--help for each)";

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command loads what it needs: a send to a running environment starts in a blink.
    case "start":
      return (await import("./cli/start-command.js")).startCommand(rest);
    case "send":
      return (await import("./cli/send-command.js")).sendCommand(rest);
    case "replay":
      return (await import("./cli/replay-command.js")).replayCommand(rest);
    default:
      throw new CliError(
        command === undefined ? USAGE : `unknown command ${JSON.stringify(command)}\n${USAGE}`,
        2,
      );
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof CliError) {
      process.stderr.write(`local-cloud: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    throw error;
  },
);
