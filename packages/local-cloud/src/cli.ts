#!/usr/bin/env node
import { CliError } from "./cli/cli-error.js";
import { replayCommand } from "./cli/replay-command.js";
import { sendCommand } from "./cli/send-command.js";
import { startCommand } from "./cli/start-command.js";

const USAGE =
  "usage: local-cloud start [flags] | local-cloud send [flags] | local-cloud replay [flags]   (--help for each)";

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "start":
      return startCommand(rest);
    case "send":
      return sendCommand(rest);
    case "replay":
      return replayCommand(rest);
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
