import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { relative } from "node:path";

export interface WorkspacePackage {
  readonly name: string | undefined;
  /** Relative to the workspace root; "" for the root itself. */
  readonly relativeDir: string;
}

/**
 * The workspace's packages, the root included, as pnpm itself lists them (its globs and
 * exclusions in pnpm-workspace.yaml). pnpm's own listing rather than @manypkg/get-packages:
 * turbo gen bundles the generator into CommonJS, where that library's file globbing (fdir's
 * `createRequire(import.meta.url)`) cannot load. Throws one line when pnpm cannot list them,
 * e.g. naming a package.json that is not JSON.
 */
export function workspacePackages(root: string): WorkspacePackage[] {
  let listing: string;
  try {
    listing = execFileSync("pnpm", ["ls", "--recursive", "--depth", "-1", "--json"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message);
    throw new Error(oneLine(stderr));
  }
  const rootDir = realpathSync(root);
  return (JSON.parse(listing) as Array<{ name?: string; path: string }>).map((pkg) => ({
    name: pkg.name,
    relativeDir: relative(rootDir, realpathSync(pkg.path)),
  }));
}

/** pnpm's error report (a code, then a tree of causes) as one line. */
function oneLine(report: string): string {
  return report
    .replace(/[×╰─▶│]/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ")
    .replace(/\s+/g, " ");
}
