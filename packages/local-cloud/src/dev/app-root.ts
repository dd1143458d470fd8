import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { workspaceRoot } from "@ebsvc/cloud-assembly";

/** The monorepo this package belongs to: the app `pnpm start` runs. */
export function appRoot(): string {
  return workspaceRoot(dirname(fileURLToPath(import.meta.url)));
}
