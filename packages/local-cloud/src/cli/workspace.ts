import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError, UsageError } from "./cli-error.js";

/** The monorepo root: the nearest folder up from here holding pnpm-workspace.yaml. */
export function workspaceRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new UsageError(
        `no pnpm-workspace.yaml above ${from}: run from inside the monorepo, or pass --assembly`,
      );
    }
    dir = parent;
  }
}

/** Where `pnpm synth` writes the app's cloud assembly. */
export function defaultAssembly(root: string): string {
  return join(root, "apps", "infra", "cdk.out");
}

/**
 * Builds and synthesizes the app with the root `synth` script (Turborepo caches both).
 * Its output goes to stderr, so stdout carries only events.
 */
export function synthesize(root: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("pnpm", ["run", "--silent", "synth"], {
      cwd: root,
      stdio: ["ignore", process.stderr, process.stderr],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    });
    child.on("error", (error) =>
      reject(new CliError(`cannot run pnpm to synthesize the app: ${error.message}`)),
    );
    child.on("exit", (code, signal) => {
      if (code === 0) resolvePromise();
      else {
        reject(
          new CliError(
            `pnpm synth failed (${signal ?? `exit ${code}`}); its output is above. Fix it, or pass --assembly <cdk.out folder> to run an assembly you have`,
          ),
        );
      }
    });
  });
}
