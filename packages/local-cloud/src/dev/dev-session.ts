import { join } from "node:path";
import { readModel } from "@ebsvc/cloud-assembly";
import type { StartOptions } from "../cli/cli-args.js";
import { CliError } from "../cli/cli-error.js";
import { synthesize } from "../cli/workspace.js";
import type { Environment } from "../environment.js";
import { type LiveReload, startLiveReload } from "./live-reload.js";

export interface DevSession {
  stop(): Promise<void>;
}

/** The app `pnpm start` synthesized itself: its repo, and where its assembly is written. */
export interface SynthesizedApp {
  readonly root: string;
  readonly assembly: string;
}

/**
 * What `pnpm start` adds to the environment for living in it: live reload (unless --no-watch), and the
 * debugger's note. Returns the lines to print at start. Given the `app` it synthesized, a new,
 * removed or re-configured service synthesizes it again; a given assembly is only reloaded.
 */
export function startDevSession(
  environment: Environment,
  options: StartOptions,
  say: (line: string) => void,
  app?: SynthesizedApp,
): { session: DevSession; lines: string[] } {
  const services = environment.model.functions.flatMap((fn) => (fn.service ? [fn.service.id] : []));
  if (options.inspect && !services.includes(options.inspect.serviceId)) {
    throw new CliError(
      `--inspect names ${JSON.stringify(options.inspect.serviceId)}, which the app does not have; its services: ${services.join(", ") || "(none)"}`,
    );
  }
  const lines: string[] = [];
  let live: LiveReload | undefined;
  if (options.watch) {
    live = startLiveReload({
      environment,
      say,
      resynthesis: app && {
        servicesRoot: join(app.root, "services"),
        synthesize: async () => {
          await synthesize(app.root);
          return readModel(app.assembly);
        },
      },
    });
    lines.push(
      app !== undefined
        ? "  watching: a save under services/<id>/src reloads that service; a new, removed or re-configured service re-synthesizes the app (--no-watch: off)"
        : "  watching: a save under services/<id>/src reloads that service (no re-synthesis of a given --assembly; --no-watch: off)",
    );
  }
  if (options.inspect) {
    const { serviceId, port } = options.inspect;
    lines.push(
      `  debugger: ${serviceId} runs under Node's inspector on 127.0.0.1:${port} (VS Code: "Attach to a service runtime"; chrome://inspect); one runtime process, timeout suspended while --inspect`,
    );
  }
  return {
    lines,
    session: {
      stop: async () => {
        await live?.stop();
      },
    },
  };
}
