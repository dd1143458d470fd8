import { Agent } from "node:http";
import type { AddressInfo } from "node:net";
import { functionArn } from "./ids.js";
import { listenInvokeApi } from "./invoke-api.js";
import { type InvokeOptions, type InvokeResult, invokeOverHttp } from "./invoke-client.js";
import { type EmulatorOptions, resolveOptions } from "./options.js";
import { PlatformLog } from "./platform-log.js";
import { RuntimePool } from "./pool.js";
import { RuntimeProcess } from "./runtime-process.js";

export interface RunningEmulator {
  /** Base URL of the invoke API, e.g. http://127.0.0.1:9000 */
  url: string;
  port: number;
  /** A real HTTP POST to the invoke API. */
  invoke(payload: unknown, options?: InvokeOptions): Promise<InvokeResult>;
  /**
   * Takes a new bundle: invocations from now on run in fresh runtime processes; those
   * running finish on the code they loaded; none waiting is dropped.
   */
  reload(): void;
  /** Closes the servers and kills every runtime process; resolves when all are gone. */
  stop(): Promise<void>;
}

/** How long runtime processes get to exit on SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 500;

/** Starts the invoke API. Runtime processes start lazily, on the first invocations. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const log = new PlatformLog(resolved.output);
  const arn = functionArn(resolved.region, resolved.functionName);
  const pool = new RuntimePool(
    resolved.concurrency,
    (first, events) =>
      RuntimeProcess.start({ options: resolved, log, functionArn: arn, events }, first),
    STOP_GRACE_MS,
  );
  const server = await listenInvokeApi(pool, resolved);
  // Under the inspector, a process is up before any event, for the debugger to attach to.
  if (resolved.inspect) pool.warm();
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(resolved.host)}:${port}`;
  const agent = new Agent({ keepAlive: true });

  // If the host process exits without stop(), runtime processes must not outlive it.
  const killAll = () => {
    for (const runtime of pool.processes) runtime.killNow();
  };
  process.on("exit", killAll);

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    await pool.stop(STOP_GRACE_MS);
    // Let the answers for invocations cut short by the stop go out before closing connections.
    await new Promise((resolve) => setImmediate(resolve));
    server.closeAllConnections();
    agent.destroy();
    await closed;
    process.off("exit", killAll);
  };

  return {
    url,
    port,
    invoke: (payload, invokeOptions) => invokeOverHttp(agent, url, payload, invokeOptions),
    reload: () => {
      pool.reload();
      // The next invocation should not wait for a cold start, nor a debugger to re-attach.
      pool.warm();
    },
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

/** A host to put in a URL: wildcard addresses are reached through loopback. */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
