import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { EmulatorOptions } from "./options.js";
import { RULES, type Rule } from "./rules.js";

/** A command line the CLI cannot run; its message is meant for the user, on one line. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export type CliOptions = Omit<EmulatorOptions, "output">;

export const USAGE = `Usage: lambda-emulator [options] -- <runtime command...>

Emulates the AWS Lambda service (invoke API and Runtime API) around a runtime process such as
aws-lambda-ric, started lazily and pooled.

Options:
  --port N            invoke API port, 0 for any free one (default 9000)
  --host ADDR         address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --timeout S         function timeout in seconds (default $AWS_LAMBDA_FUNCTION_TIMEOUT or 300)
  --concurrency N     most runtime processes at once; more invokes wait (default 4)
  --memory MB         memory size: reported to the function, and a runtime process over
                      it is killed (Runtime.OutOfMemory) (default 3008)
  --function-name N   function name (default test_function); the invoke path must name it
                      (or "function", as with the RIE), else 404 ResourceNotFoundException
  --task-root DIR     LAMBDA_TASK_ROOT and the command's working directory (default: current
                      directory); relative paths in the command are relative to it
  --handler H         _HANDLER (default: the last word of the command)
  -h, --help          show this help

Example:
  lambda-emulator --port 9000 -- node /opt/runtime/node_modules/aws-lambda-ric/index.mjs index.handler
  curl -d '{}' http://127.0.0.1:9000/2015-03-31/functions/function/invocations`;

type Flag =
  | { key: "port" | "concurrency" | "memorySizeMb" | "timeoutSeconds"; rule: Rule<number> }
  | { key: "host" | "functionName" | "handler"; rule: Rule<string> }
  | { key: "taskRoot"; rule: Rule<string> };

const FLAGS: Record<string, Flag> = {
  "--port": { key: "port", rule: RULES.port },
  "--host": { key: "host", rule: RULES.host },
  "--timeout": { key: "timeoutSeconds", rule: RULES.timeoutSeconds },
  "--concurrency": { key: "concurrency", rule: RULES.concurrency },
  "--memory": { key: "memorySizeMb", rule: RULES.memorySizeMb },
  "--function-name": { key: "functionName", rule: RULES.functionName },
  "--handler": { key: "handler", rule: RULES.handler },
  "--task-root": {
    key: "taskRoot",
    rule: {
      accepts: (dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true,
      allowed: "an existing directory",
    },
  },
};

/**
 * Parses `[options] [--] <command...>`. Returns "help" for -h/--help; throws a UsageError that
 * names the bad option and what it allows.
 */
export function parseCliArgs(argv: readonly string[], cwd = process.cwd()): CliOptions | "help" {
  const options: Partial<CliOptions> = {};
  let command: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      command = argv.slice(i + 1);
      break;
    }
    if (arg === "-h" || arg === "--help") return "help";
    if (!arg.startsWith("-")) {
      // Like the RIE, the command may also follow the options without "--".
      command = argv.slice(i);
      break;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = FLAGS[name];
    if (!flag) {
      throw new UsageError(
        `unknown option ${name}; allowed: ${Object.keys(FLAGS).join(", ")}, --help`,
      );
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) {
      throw new UsageError(`option ${name} needs a value: ${flag.rule.allowed}`);
    }
    setOption(options, name, flag, value, cwd);
  }
  if (command.length === 0) {
    throw new UsageError(
      "missing the runtime command; put it after --, e.g. -- node /opt/runtime/node_modules/aws-lambda-ric/index.mjs index.handler",
    );
  }
  return { ...options, command, taskRoot: options.taskRoot ?? cwd };
}

function setOption(
  options: Partial<CliOptions>,
  name: string,
  flag: Flag,
  value: string,
  cwd: string,
): void {
  const bad = (): never => {
    throw new UsageError(
      `option ${name} is ${JSON.stringify(value)}; allowed: ${flag.rule.allowed}`,
    );
  };
  switch (flag.key) {
    case "port":
    case "concurrency":
    case "memorySizeMb":
    case "timeoutSeconds": {
      const number = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
      if (!flag.rule.accepts(number)) bad();
      options[flag.key] = number;
      return;
    }
    case "taskRoot": {
      const dir = resolve(cwd, value);
      if (!flag.rule.accepts(dir)) bad();
      options.taskRoot = dir;
      return;
    }
    default:
      if (!flag.rule.accepts(value)) bad();
      options[flag.key] = value;
  }
}
