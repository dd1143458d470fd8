import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");

/**
 * A copy of a real service (sources, manifest, Dockerfile) in a temporary folder whose
 * node_modules links to the real one's, so it bundles and runs; edits never touch the checkout.
 */
export function copyService(id: string): { dir: string; remove: () => void } {
  const parent = mkdtempSync(join(tmpdir(), "service-copy-"));
  const dir = join(parent, id);
  const source = join(REPO_ROOT, "services", id);
  cpSync(source, dir, {
    recursive: true,
    filter: (path) => !/[/\\](node_modules|dist|\.turbo)$/.test(path),
  });
  symlinkSync(join(source, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}
