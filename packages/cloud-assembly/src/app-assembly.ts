import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { AssemblyError } from "./assembly-error.js";

/** The monorepo root: the nearest folder up from `from` holding pnpm-workspace.yaml. */
export function workspaceRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new AssemblyError(
        `no pnpm-workspace.yaml above ${from}: run from inside the monorepo, or pass --assembly <cdk.out folder>`,
      );
    }
    dir = parent;
  }
}

/** Where `pnpm synth` writes the app's cloud assembly. */
export function appAssembly(root: string): string {
  return join(root, "apps", "infra", "cdk.out");
}
