import { resolve } from "node:path";
import { AssemblyError } from "@ebsvc/cloud-assembly";
import type { Observer } from "../engine/observations.js";
import { type Environment, startEnvironment } from "../environment.js";
import type { CommonOptions } from "./cli-args.js";
import { CliError } from "./cli-error.js";
import { prefixedLines } from "./prefixed-lines.js";
import { defaultAssembly, synthesize, workspaceRoot } from "./workspace.js";

/**
 * Synthesizes the app (unless an assembly is given) and starts the environment, with each
 * function's logs on stderr behind its service id.
 */
export async function runEnvironment(
  options: CommonOptions,
  observer: Observer,
  listen?: { host: string; port: number },
): Promise<Environment> {
  let assembly: string;
  if (options.assembly === undefined) {
    const root = workspaceRoot();
    await synthesize(root);
    assembly = defaultAssembly(root);
  } else {
    assembly = resolve(options.assembly);
  }
  try {
    return await startEnvironment({
      assembly,
      listen,
      timeScale: options.timeScale,
      concurrency: options.concurrency,
      observer,
      functionLogs: (serviceId) => prefixedLines(`[${serviceId}] `, process.stderr),
    });
  } catch (error) {
    if (error instanceof AssemblyError) throw new CliError(error.message);
    const code =
      (error as NodeJS.ErrnoException).code ??
      ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === "EADDRINUSE" && listen) {
      throw new CliError(
        `port ${listen.port} on ${listen.host} is in use (another pnpm start?); pass --port <free port>, or 0 for any`,
      );
    }
    throw error;
  }
}
