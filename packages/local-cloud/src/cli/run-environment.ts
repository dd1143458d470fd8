import { resolve } from "node:path";
import { AssemblyError } from "@ebsvc/cloud-assembly";
import { appAssembly, appRoot } from "../dev/app-root.js";
import type { Observer } from "../engine/observations.js";
import { type Environment, startEnvironment } from "../environment.js";
import type { LogRetention } from "../state/event-log.js";
import { StateFileError } from "../state/state-database.js";
import type { CommonOptions, StartOptions } from "./cli-args.js";
import { CliError } from "./cli-error.js";
import { prefixedLines } from "./prefixed-lines.js";
import { synthesize } from "./workspace.js";

/**
 * Synthesizes the app (unless an assembly is given) and starts the environment, with each
 * function's logs on stderr behind its service id.
 */
export async function runEnvironment(
  options: CommonOptions & Pick<Partial<StartOptions>, "inspect">,
  observer: Observer,
  listen?: { host: string; port: number },
  state?: { file: string; logRetention?: LogRetention },
): Promise<Environment> {
  try {
    let assembly = resolve(options.assembly ?? "");
    if (options.assembly === undefined) {
      // The app this package belongs to: the monorepo it sits in.
      const root = appRoot();
      await synthesize(root);
      assembly = appAssembly(root);
    }
    return await startEnvironment({
      assembly,
      listen,
      timeScale: options.timeScale,
      concurrency: options.concurrency,
      inspect: options.inspect,
      observer,
      stateFile: state?.file,
      logRetention: state?.logRetention,
      functionLogs: (serviceId) => prefixedLines(`[${serviceId}] `, process.stderr),
    });
  } catch (error) {
    if (error instanceof AssemblyError || error instanceof StateFileError) {
      throw new CliError(error.message);
    }
    const code =
      (error as NodeJS.ErrnoException).code ??
      ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === "EADDRINUSE" && listen) {
      throw new CliError(
        `port ${listen.port} on ${listen.host} is in use (another pnpm start?); pass --port <free port>, or 0 for any`,
      );
    }
    if ((code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") && listen) {
      throw new CliError(
        `--host is ${JSON.stringify(listen.host)}, an address this machine does not have; expected: one of its own addresses, e.g. 127.0.0.1`,
      );
    }
    throw error;
  }
}
