import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { APP_ASSEMBLY_DIR, WorkspaceRootError, workspaceRoot } from "@ebsvc/service-contract";
import { CliError } from "../cli/cli-error.js";

/** The monorepo this package belongs to: the app `pnpm start` runs. */
export function appRoot(): string {
  try {
    return workspaceRoot(dirname(fileURLToPath(import.meta.url)));
  } catch (error) {
    if (error instanceof WorkspaceRootError) throw new CliError(error.message);
    throw error;
  }
}

/** Where `pnpm synth` writes that app's cloud assembly: the CLIs' default `--assembly`. */
export function appAssembly(root = appRoot()): string {
  return join(root, APP_ASSEMBLY_DIR);
}
