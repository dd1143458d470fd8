import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * Where the CDK app writes its cloud assembly (`pnpm synth`), relative to the repo root: the
 * default of every CLI's `--assembly`. Libraries take the folder from their caller.
 */
export const APP_ASSEMBLY_DIR = "apps/infra/cdk.out";

/** Code runs outside the monorepo, so the app's folders are unknown. */
export class WorkspaceRootError extends Error {
  override readonly name = "WorkspaceRootError";
}

/** The monorepo root: the nearest folder up from `from` holding pnpm-workspace.yaml. */
export function workspaceRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new WorkspaceRootError(
        `no pnpm-workspace.yaml above ${from}: run from inside the monorepo, or pass --assembly <cdk.out folder>`,
      );
    }
    dir = parent;
  }
}
