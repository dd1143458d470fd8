import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyServiceFolder } from "@ebsvc/test-fixtures/temp-repos";

/**
 * A copy of a real service (sources, manifest, Dockerfile) in a temporary folder whose
 * node_modules links to the real one's, so it bundles and runs; edits never touch the checkout.
 */
export function copyService(id: string): { dir: string; remove: () => void } {
  const parent = mkdtempSync(join(tmpdir(), "service-copy-"));
  const dir = copyServiceFolder(id, join(parent, id));
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}
