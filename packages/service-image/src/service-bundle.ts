import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { BuildContext, BuildOptions, Message } from "esbuild";

/**
 * How every service is bundled: the one place these options live. The services' `bundle`
 * script (bundle-cli), `pnpm start`'s live reload and `run-local`'s watch all read them here,
 * so a deployed bundle and a reloaded one cannot differ.
 */
function serviceBundleOptions(serviceDir: string): BuildOptions {
  return {
    absWorkingDir: serviceDir,
    entryPoints: ["src/index.ts"],
    bundle: true,
    minify: true,
    keepNames: true,
    platform: "node",
    target: "node24",
    format: "esm",
    outfile: "dist/index.mjs",
    // A linked map beside the bundle, with the sources' text, so that any debugger (VS Code,
    // chrome://inspect) and `--enable-source-maps` show src/ lines. The image leaves it out
    // (.dockerignore): it is for local runs.
    sourcemap: "linked",
    logLevel: "silent",
  };
}

/**
 * NODE_OPTIONS for a local runtime of a bundle: the caller's own, plus source-mapped stack
 * traces (they name src/ lines, through the bundle's map).
 */
export function sourceMappedNodeOptions(env: NodeJS.ProcessEnv = process.env): string {
  return [env.NODE_OPTIONS, "--enable-source-maps"].filter(Boolean).join(" ");
}

type Esbuild = typeof import("esbuild");

/** The service's own esbuild (its pinned devDependency), so every caller bundles alike. */
async function serviceEsbuild(serviceDir: string): Promise<Esbuild> {
  const path = createRequire(join(serviceDir, "package.json")).resolve("esbuild");
  return (await import(path)) as Esbuild;
}

/** A bundle that did not build: one line, with esbuild's file:line:col. */
export class BundleError extends Error {
  override readonly name = "BundleError";
}

export type RebuildResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly ms: number; readonly error: string };

/**
 * One esbuild context for one service: `rebuild()` is incremental (esbuild keeps what it
 * parsed), so a save is bundled in milliseconds. A failed rebuild leaves the previous bundle
 * where it was.
 */
export class ServiceBundler {
  private constructor(
    readonly serviceDir: string,
    private readonly context: BuildContext,
  ) {}

  static async create(serviceDir: string): Promise<ServiceBundler> {
    const esbuild = await serviceEsbuild(serviceDir);
    const context = await esbuild.context(serviceBundleOptions(serviceDir));
    return new ServiceBundler(serviceDir, context);
  }

  async rebuild(): Promise<RebuildResult> {
    const started = performance.now();
    try {
      await this.context.rebuild();
      return { ok: true, ms: performance.now() - started };
    } catch (error) {
      return {
        ok: false,
        ms: performance.now() - started,
        error: describeBuildFailure(error),
      };
    }
  }

  dispose(): Promise<void> {
    return this.context.dispose();
  }
}

/** Bundles a service once (its `bundle` script); throws a BundleError saying where it failed. */
export async function bundleService(serviceDir: string): Promise<void> {
  const esbuild = await serviceEsbuild(serviceDir);
  try {
    await esbuild.build(serviceBundleOptions(serviceDir));
  } catch (error) {
    throw new BundleError(describeBuildFailure(error));
  }
}

/**
 * esbuild's first error on one line, e.g.
 * `src/index.ts:12:4: Expected ";" but found "x"` (and how many more there are).
 */
function describeBuildFailure(error: unknown): string {
  const errors = (error as { errors?: Message[] }).errors;
  const first = errors?.[0];
  if (!first) return String((error as Error).message ?? error).split("\n")[0] ?? "";
  // esbuild gives the file relative to the service folder (absWorkingDir).
  const where = first.location
    ? `${first.location.file}:${first.location.line}:${first.location.column}: `
    : "";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error(s))` : "";
  return `${where}${first.text}${more}`;
}
