import { spawn } from "node:child_process";
import { CliError } from "./cli-error.js";

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
