import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
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

/**
 * Copies services/<id> of the checkout to `target`: its sources, manifest and Dockerfile, not
 * its node_modules, dist or .turbo. Its node_modules links to the real one's, so the copy
 * bundles and runs while edits never touch the checkout. Returns `target`.
 */
export function copyServiceFolder(id: string, target: string): string {
  const source = join(CHECKOUT_ROOT, "services", id);
  cpSync(source, target, {
    recursive: true,
    filter: (path) => !/[/\\](node_modules|dist|\.turbo)$/.test(path),
  });
  symlinkSync(join(source, "node_modules"), join(target, "node_modules"), "dir");
  return target;
}
