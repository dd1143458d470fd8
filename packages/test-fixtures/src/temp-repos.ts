import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** The checkout this package is part of. */
export const CHECKOUT_ROOT = resolve(import.meta.dirname, "..", "..", "..");

const made: string[] = [];

/** A temporary folder, removed by removeTempDirs (call it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made so far. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A copy of the checkout as a clone would hold it: tracked files plus new ones not ignored
 * (no node_modules, dist or cdk.out), in a temporary folder.
 */
export function copyCheckout(prefix = "checkout-"): string {
  const repo = tempDir(prefix);
  const files = execFileSync(
    "git",
    ["ls-files", "--cached", "--others", "--exclude-standard", "-z"],
    { cwd: CHECKOUT_ROOT, encoding: "utf8" },
  )
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    try {
      cpSync(join(CHECKOUT_ROOT, file), join(repo, file));
    } catch {
      // deleted in the work tree but still in the index
    }
  }
  return repo;
}
