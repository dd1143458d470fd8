import { statSync } from "node:fs";
import { resolve } from "node:path";
import { RULES, type Rule } from "./rules.js";

/** How to run the function and where to serve it. Defaults follow the AWS RIE. */
export interface EmulatorOptions {
  /** The runtime command, e.g. `[process.execPath, ".../aws-lambda-ric/index.mjs", "index.handler"]`. */
  command: string[];
  /** `_HANDLER` for the runtime. @default the last element of `command` (as the RIE does) */
  handler?: string;
  /** `LAMBDA_TASK_ROOT`, and the working directory of runtime processes. */
  taskRoot: string;
  /** Port of the invoke API; 0 picks a free one. @default 9000 */
  port?: number;
  /** Address the invoke API listens on. @default "127.0.0.1" */
  host?: string;
  /** Function timeout. @default env `AWS_LAMBDA_FUNCTION_TIMEOUT`, else 300 (the RIE's default) */
  timeoutSeconds?: number;
  /** Most runtime processes alive at once; further invocations wait in FIFO order. @default 4 */
  concurrency?: number;
  /** `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` and the REPORT line's Memory Size. @default 3008 (RIE) */
  memorySizeMb?: number;
  /** `AWS_LAMBDA_FUNCTION_NAME` and the name in the function ARN. @default "test_function" (RIE) */
  functionName?: string;
  /** Region of the function ARN and `AWS_REGION`. @default env `AWS_REGION`, else "us-east-1" */
  region?: string;
  /** Extra environment variables for the runtime; they win over everything else. */
  environment?: Record<string, string>;
  /** Largest invoke request body accepted, and largest response taken from the runtime. @default 6 MiB */
  maxPayloadBytes?: number;
  /** Receives runtime stdout/stderr and the START/END/REPORT lines. @default process.stdout */
  output?: NodeJS.WritableStream;
  /**
   * Runs the runtime under Node's inspector (`--inspect=host:port` after the command's `node`),
   * for a debugger to attach: one runtime process at a time (concurrency 1, so the port is
   * never taken twice), and no timeout, since a paused handler would otherwise be killed.
   */
  inspect?: InspectOptions;
}

interface InspectOptions {
  /** @default 127.0.0.1 */
  host?: string;
  /** @default 9229, Node's own default */
  port?: number;
}

export type ResolvedOptions = Required<Omit<EmulatorOptions, "environment" | "inspect">> & {
  environment: Record<string, string>;
  inspect: Required<InspectOptions> | undefined;
};

/** Lambda's limit for a synchronous invocation's request and response. */
const DEFAULT_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Fills in defaults and throws an error naming the first invalid option and what is allowed. */
export function resolveOptions(
  options: EmulatorOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  const fail = (name: string, value: unknown, allowed: string): never => {
    throw new RangeError(
      `lambda-emulator: option ${name} is ${JSON.stringify(value)}; allowed: ${allowed}`,
    );
  };
  const check = <T>(name: string, value: T, rule: Rule<T>): T => {
    if (!rule.accepts(value)) fail(name, value, rule.allowed);
    return value;
  };

  const { command } = options;
  if (!Array.isArray(command) || command.length === 0 || command.some((a) => a === "")) {
    fail("command", command, "a non-empty array of non-empty strings (program, then arguments)");
  }
  const taskRoot = typeof options.taskRoot === "string" ? resolve(options.taskRoot) : "";
  if (!taskRoot || !statSync(taskRoot, { throwIfNoEntry: false })?.isDirectory()) {
    fail("taskRoot", options.taskRoot, "an existing directory");
  }

  let timeoutSeconds = options.timeoutSeconds;
  if (timeoutSeconds === undefined && env.AWS_LAMBDA_FUNCTION_TIMEOUT !== undefined) {
    timeoutSeconds = Number(env.AWS_LAMBDA_FUNCTION_TIMEOUT);
    if (!RULES.timeoutSeconds.accepts(timeoutSeconds)) {
      fail(
        "timeoutSeconds (from AWS_LAMBDA_FUNCTION_TIMEOUT)",
        env.AWS_LAMBDA_FUNCTION_TIMEOUT,
        RULES.timeoutSeconds.allowed,
      );
    }
  }

  let inspect: Required<InspectOptions> | undefined;
  if (options.inspect) {
    inspect = {
      host: check("inspect.host", options.inspect.host ?? "127.0.0.1", RULES.host),
      port: check("inspect.port", options.inspect.port ?? 9229, RULES.port),
    };
    if (!/(^|[/\\])node(\.exe)?$/.test(command[0] ?? "")) {
      fail("inspect", options.inspect, "a runtime command that starts with node");
    }
  }

  return {
    // The inspector flag goes to the node that runs the runtime client.
    command: inspect
      ? [command[0] ?? "", `--inspect=${inspect.host}:${inspect.port}`, ...command.slice(1)]
      : [...command],
    handler: check("handler", options.handler ?? command.at(-1) ?? "", RULES.handler),
    taskRoot,
    port: check("port", options.port ?? 9000, RULES.port),
    host: check("host", options.host ?? "127.0.0.1", RULES.host),
    timeoutSeconds: check("timeoutSeconds", timeoutSeconds ?? 300, RULES.timeoutSeconds),
    concurrency: inspect ? 1 : check("concurrency", options.concurrency ?? 4, RULES.concurrency),
    memorySizeMb: check("memorySizeMb", options.memorySizeMb ?? 3008, RULES.memorySizeMb),
    functionName: check(
      "functionName",
      options.functionName ?? "test_function",
      RULES.functionName,
    ),
    region: check("region", options.region ?? env.AWS_REGION ?? "us-east-1", RULES.region),
    environment: { ...options.environment },
    maxPayloadBytes: check(
      "maxPayloadBytes",
      options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      RULES.maxPayloadBytes,
    ),
    output: options.output ?? process.stdout,
    inspect,
  };
}
