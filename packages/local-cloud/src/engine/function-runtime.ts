import { join } from "node:path";
import type { FunctionModel } from "@ebsvc/cloud-assembly";
import { type RunningEmulator, startEmulator } from "@ebsvc/lambda-emulator";
import { readImageCommand, sourceMappedNodeOptions, toHostCommand } from "@ebsvc/service-image";
import type { RuntimeLogLines } from "./runtime-log-lines.js";

/** How one invocation ended, in the terms Lambda's asynchronous queue acts on. */
type InvokeOutcome =
  | { readonly kind: "success"; readonly payload: unknown }
  /** The function failed: retried per the invoke config, then a failure record. */
  | {
      readonly kind: "function-error";
      readonly functionError: "Unhandled";
      readonly payload: unknown;
    }
  /** Lambda itself could not run it (as a throttle): re-queued with backoff until too old. */
  | { readonly kind: "service-error"; readonly reason: string };

/** An outcome with what the runtime's REPORT line said, when it came before the answer. */
type InvokeAnswer = InvokeOutcome & { readonly maxMemoryUsedMb?: number };

export interface FunctionRuntime {
  /** The service folder's id the function runs. */
  readonly serviceId: string;
  /** `requestId` is the asynchronous invocation's: the runtime's log lines are tied to it. */
  invoke(payload: unknown, requestId: string): Promise<InvokeAnswer>;
  /** A new bundle: invocations from now on load it; those running finish on the old one. */
  reload(): void;
  stop(): Promise<void>;
}

/** `pnpm start -- --inspect <service>[=port]`: that service's runtime under Node's inspector. */
export interface InspectTarget {
  readonly serviceId: string;
  readonly port: number;
}

export interface RuntimeOptions {
  readonly region: string;
  /** Runtime processes per function. */
  readonly concurrency: number;
  /** Receives the function's logs and START/END/REPORT lines. */
  readonly output: NodeJS.WritableStream;
  /** Ties the runtime's request id (from the answer) to the asynchronous invocation's. */
  readonly logLines?: RuntimeLogLines;
  /** Debug this service: one runtime process, under the inspector, with no timeout. */
  readonly inspect?: InspectTarget;
}

/**
 * Runs a service's function on this machine behind lambda-emulator (the runtime of `pnpm
 * local`): the command its Dockerfile runs, the handler and the timeout, memory and
 * environment of the synthesized function. Runtime processes start on the first invocation.
 */
export async function startFunctionRuntime(
  fn: FunctionModel & { service: NonNullable<FunctionModel["service"]> },
  options: RuntimeOptions,
): Promise<FunctionRuntime> {
  const image = readImageCommand(join(fn.service.directory, "Dockerfile"));
  const host = toHostCommand(image, fn.service.directory);
  const inspected = options.inspect?.serviceId === fn.service.id;
  const emulator: RunningEmulator = await startEmulator({
    command: host.command,
    handler: host.handler,
    taskRoot: host.taskRoot,
    port: 0,
    timeoutSeconds: fn.timeoutSeconds,
    memorySizeMb: fn.memorySize,
    functionName: fn.name,
    region: options.region,
    concurrency: options.concurrency,
    environment: { NODE_OPTIONS: sourceMappedNodeOptions(), ...fn.environment },
    output: options.output,
    inspect: inspected ? { port: options.inspect?.port } : undefined,
  });
  return {
    serviceId: fn.service.id,
    invoke: async (payload, requestId) => {
      try {
        const answer = await emulator.invoke(payload);
        const runtimeRequestId = answer.headers["x-amzn-requestid"];
        const report =
          typeof runtimeRequestId === "string"
            ? options.logLines?.bind(runtimeRequestId, requestId)
            : undefined;
        return {
          ...classify(answer.statusCode, answer.headers["x-amz-function-error"], answer.body),
          ...report,
        };
      } catch (error) {
        return { kind: "service-error", reason: (error as Error).message };
      }
    },
    reload: () => emulator.reload(),
    stop: () => emulator.stop(),
  };
}

/**
 * Lambda's view of an answer. Every function error of a runtime built on the Runtime API is
 * `Unhandled`: a thrown error, a timeout, a crash, an init failure, running out of memory
 * (`Handled` belonged to the legacy `callback(err)` model, which no current runtime reports).
 */
function classify(
  statusCode: number,
  functionErrorHeader: string | string[] | undefined,
  body: string,
): InvokeOutcome {
  const payload = parseJson(body);
  if (statusCode >= 500 && functionErrorHeader === undefined) {
    return { kind: "service-error", reason: `the runtime answered ${statusCode}: ${body}` };
  }
  if (functionErrorHeader === undefined && statusCode === 200) return { kind: "success", payload };
  return {
    kind: "function-error",
    functionError: "Unhandled",
    // A timeout comes back as a sentence; Lambda reports it as an error message.
    payload: typeof payload === "string" ? { errorMessage: payload } : payload,
  };
}

/** Response payloads are JSON; anything else is kept as the text it was. */
function parseJson(body: string): unknown {
  if (body === "") return null;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
