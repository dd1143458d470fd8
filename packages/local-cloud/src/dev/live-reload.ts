import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LocalModel } from "@ebsvc/cloud-assembly";
import { LiveBundle, watchServiceSources } from "@ebsvc/service-image";
import type { Environment } from "../environment.js";
import { describeSettingsChange, readServiceSettings } from "./service-settings.js";
import { watchServiceFolders } from "./watch-services.js";

export interface LiveReloadOptions {
  readonly environment: Environment;
  /** Where each reload, bundle error and re-synthesis is told, one line each. */
  readonly say: (line: string) => void;
  /**
   * Re-synthesis when a service's `"service"` settings change or a service folder comes or
   * goes. Without it (a run of a given --assembly), only bundles reload.
   */
  readonly resynthesis?: {
    readonly servicesRoot: string;
    /** Builds and synthesizes the app, and reads the new model. */
    readonly synthesize: () => Promise<LocalModel>;
  };
  /** Quiet time after a folder or package.json change before re-synthesizing. @default 300 */
  readonly settleMs?: number;
}

export interface LiveReload {
  /** Resolves once no re-bundle or re-synthesis is pending or running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface WatchedService {
  readonly directory: string;
  readonly bundle: LiveBundle;
  readonly unwatch: (() => void) | undefined;
}

/**
 * The running environment follows the code: a save under a service's src/ re-bundles it
 * (esbuild, incrementally) and its next invocations run the new bundle; a change of services
 * re-synthesizes the app in the background and swaps the new model in.
 */
export function startLiveReload(options: LiveReloadOptions): LiveReload {
  const { environment, say } = options;
  const services = new Map<string, WatchedService>();

  const follow = (model: LocalModel) => {
    const wanted = new Map(
      model.functions.flatMap((fn) => (fn.service ? [[fn.service.id, fn.service.directory]] : [])),
    );
    for (const [id, watched] of services) {
      if (wanted.get(id) === watched.directory) continue;
      watched.unwatch?.();
      void watched.bundle.dispose();
      services.delete(id);
    }
    for (const [id, directory] of wanted) {
      if (services.has(id)) continue;
      const bundle = new LiveBundle(directory, (result) => {
        if (!result.ok) {
          say(`${id}: bundle failed, the previous code keeps serving: ${result.error}`);
          return;
        }
        environment.cloud.reloadService(id);
        say(`reloaded ${id} (bundle ${Math.round(result.ms)} ms)`);
      });
      const unwatch = watchServiceSources(directory, () => bundle.changed());
      // Builds the esbuild context now, so the first save is an incremental rebuild.
      if (unwatch) void bundle.prime().catch(() => {});
      services.set(id, { directory, bundle, unwatch });
    }
  };
  follow(environment.model);

  let synthesizing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let stopFolders: (() => void) | undefined;
  const resynthesis = options.resynthesis;
  if (resynthesis) {
    let settings = readServiceSettings(resynthesis.servicesRoot);
    let again = false;
    const resynthesize = async () => {
      const next = readServiceSettings(resynthesis.servicesRoot);
      const change = describeSettingsChange(settings, next);
      if (!change) return;
      // A copied folder bundles only once pnpm install has linked its dependencies.
      const unlinked = [...next.keys()].filter(
        (id) => !existsSync(join(resynthesis.servicesRoot, id, "node_modules")),
      );
      if (unlinked.length > 0) {
        say(
          `re-synthesis waits for pnpm install to link ${unlinked.map((id) => `services/${id}`).join(", ")} (the generator runs it; after a copy, run it yourself)`,
        );
        return;
      }
      const started = performance.now();
      say(`re-synthesizing: ${change} (the current model serves meanwhile)`);
      try {
        const model = await resynthesis.synthesize();
        // Stopped meanwhile (Ctrl-C does not wait for a synth): nothing to swap into.
        if (stopped) return;
        await environment.reloadModel(model);
        settings = next;
        follow(model);
        say(`re-synthesized: ${change} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        const reason = ((error as Error).message ?? String(error)).split("\n")[0];
        say(
          `re-synthesis failed, the previous model keeps serving: ${reason} (save the service's package.json again to retry)`,
        );
      }
    };
    const run = () => {
      timer = undefined;
      if (synthesizing) {
        again = true;
        return;
      }
      synthesizing = resynthesize().finally(() => {
        synthesizing = undefined;
        if (again) {
          again = false;
          run();
        }
      });
    };
    stopFolders = watchServiceFolders(resynthesis.servicesRoot, () => {
      clearTimeout(timer);
      timer = setTimeout(run, options.settleMs ?? 300);
    });
  }

  return {
    idle: async () => {
      while (timer || synthesizing) await (synthesizing ?? sleep(50));
      await Promise.all([...services.values()].map((watched) => watched.bundle.idle()));
    },
    stop: async () => {
      stopped = true;
      stopFolders?.();
      clearTimeout(timer);
      timer = undefined;
      await Promise.all(
        [...services.values()].map((watched) => {
          watched.unwatch?.();
          return watched.bundle.dispose();
        }),
      );
      services.clear();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
