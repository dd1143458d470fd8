import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compare, minVersion, validRange } from "semver";

/**
 * The dependencies a generated service declares besides the workspace's own packages, with the
 * versions to use when no existing service declares them (a test keeps these equal to the
 * services' versions).
 */
export const FALLBACK_VERSIONS = {
  "aws-lambda-ric": "4.0.2",
  "@types/aws-lambda": "8.10.164",
  esbuild: "0.28.2",
  zod: "4.6.7",
} as const;

export type ServiceDependency = keyof typeof FALLBACK_VERSIONS;

/**
 * The version of each service dependency that the services under `<root>/services/` use, so a
 * new service matches its siblings: the one most of them declare (the highest on a tie), or the
 * fallback when none declares it.
 */
export function serviceDependencyVersions(root: string): Record<ServiceDependency, string> {
  const seen = new Map<string, Map<string, number>>();
  const servicesDir = join(root, "services");
  const folders = existsSync(servicesDir) ? readdirSync(servicesDir).sort() : [];
  for (const folder of folders) {
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(readFileSync(join(servicesDir, folder, "package.json"), "utf8"));
    } catch {
      continue; // not a package, or not ours to judge here: synth reports broken services
    }
    if (typeof manifest.service !== "object") continue;
    for (const field of ["dependencies", "devDependencies"]) {
      const declared = (manifest[field] ?? {}) as Record<string, unknown>;
      for (const [name, version] of Object.entries(declared)) {
        if (!(name in FALLBACK_VERSIONS) || typeof version !== "string") continue;
        const counts = seen.get(name) ?? new Map<string, number>();
        counts.set(version, (counts.get(version) ?? 0) + 1);
        seen.set(name, counts);
      }
    }
  }
  const versions = { ...FALLBACK_VERSIONS } as Record<ServiceDependency, string>;
  for (const name of Object.keys(FALLBACK_VERSIONS) as ServiceDependency[]) {
    const counts = [...(seen.get(name) ?? new Map<string, number>())];
    counts.sort(([a, countA], [b, countB]) => countB - countA || compareVersions(b, a));
    const [mostUsed] = counts;
    if (mostUsed) versions[name] = mostUsed[0];
  }
  return versions;
}

/**
 * Orders versions as semver does ("4.0.10" after "4.0.2", a pre-release before its release); a
 * range counts as its lowest version, and what is neither (a tag, a `workspace:` link) comes
 * first, so it never wins a tie.
 */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [lowestVersion(a), lowestVersion(b)];
  if (x && y) return compare(x, y);
  return Number(x !== null) - Number(y !== null);
}

function lowestVersion(versionOrRange: string) {
  return validRange(versionOrRange) ? minVersion(versionOrRange) : null;
}
