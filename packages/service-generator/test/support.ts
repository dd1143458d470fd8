import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative, resolve } from "node:path";
import { copyCheckout as copyFixtureCheckout, removeTempDirs, tempDir } from "@ebsvc/test-fixtures";
import { afterAll } from "vitest";

export const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");

afterAll(removeTempDirs);

export { tempDir };

/** A copy of this checkout as a clone would hold it. */
export function copyCheckout(): string {
  return copyFixtureCheckout("gen-repo-");
}

/** The environment a user's shell would give, without this run's Turborepo and pnpm variables. */
export function userEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !name.startsWith("TURBO_") && name !== "npm_config_user_agent" && name !== "NODE_PATH",
    ),
  );
  return { ...env, CI: "true", TURBO_TELEMETRY_DISABLED: "1", NO_COLOR: "1" };
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr. */
  output: string;
  seconds: number;
}

/** Runs pnpm in `cwd` as a user would. */
export function pnpm(cwd: string, ...args: string[]): Run {
  const started = performance.now();
  const result = spawnSync("pnpm", args, { cwd, env: userEnv(), encoding: "utf8" });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: `${result.stdout}${result.stderr}`,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Every file under `root` with its size and modification time, leaving out what installs and
 * builds make (node_modules, dist, .turbo, cdk.out): equal listings mean nothing was written.
 */
export function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (["node_modules", "dist", ".turbo", "cdk.out"].includes(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else {
        const { size, mtimeMs } = statSync(path);
        files.push(`${relative(root, path)} ${size} ${mtimeMs}`);
      }
    }
  };
  walk(root);
  return files.sort();
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}
