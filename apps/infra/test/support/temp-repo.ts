import { cpSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { copyServiceFolder, removeTempDirs, tempDir } from "@ebsvc/test-fixtures";
import { afterAll } from "vitest";

export const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..", "..");

/** The example services of the checkout: toanother follows backtosource, chained follows toanother. */
export const EXAMPLE_SERVICES = ["backtosource", "chained", "toanother"] as const;

afterAll(removeTempDirs);

export { tempDir };

/**
 * A repository root holding copies of the real services (sources, manifest, Dockerfile) and
 * optionally a secrets.json: what the app reads, without touching the real checkout.
 * Each copy's node_modules links to the real one so its bundle script runs.
 */
export function tempRepo(options: { secrets?: unknown } = {}): string {
  const root = tempDir("infra-repo-");
  cpSync(join(REPO_ROOT, "tsconfig.base.json"), join(root, "tsconfig.base.json"));
  for (const id of EXAMPLE_SERVICES) copyService(root, id, id);
  if (options.secrets !== undefined) writeSecrets(root, options.secrets);
  return root;
}

/** Copies services/<from> of the real checkout to <root>/services/<to>. */
export function copyService(root: string, from: string, to: string): string {
  return copyServiceFolder(from, join(root, "services", to));
}

export function writeSecrets(root: string, secrets: unknown): void {
  writeFileSync(
    join(root, "secrets.json"),
    typeof secrets === "string" ? secrets : JSON.stringify(secrets),
  );
}

/** Edits a service's package.json in place. */
export function editManifest(
  serviceDir: string,
  edit: (manifest: Record<string, unknown>) => void,
) {
  const path = join(serviceDir, "package.json");
  const manifest = JSON.parse(readFileSync(path, "utf8"));
  edit(manifest);
  writeFileSync(path, JSON.stringify(manifest, null, 2));
}

/**
 * Adds the built infra app (dist, cdk.json) to a temporary repository, so its entry points
 * run against that repository's secrets.json and services/.
 */
export function withInfraApp(root: string): string {
  const infra = join(root, "apps", "infra");
  const real = join(REPO_ROOT, "apps", "infra");
  cpSync(join(real, "dist"), join(infra, "dist"), { recursive: true });
  for (const file of ["cdk.json", "package.json"]) cpSync(join(real, file), join(infra, file));
  symlinkSync(join(real, "node_modules"), join(infra, "node_modules"), "dir");
  return infra;
}

/**
 * Adds a service to a temporary repository: a copy of backtosource (sources, manifest,
 * Dockerfile) under a new name, with the given `"service"` settings.
 */
export function addService(root: string, id: string, service: unknown): string {
  const directory = copyService(root, "backtosource", id);
  editManifest(directory, (manifest) => {
    manifest.name = id;
    manifest.service = service;
  });
  return directory;
}

/** Replaces the `"service"` settings of a service of a temporary repository. */
export function setService(root: string, id: string, service: unknown): void {
  editManifest(join(root, "services", id), (manifest) => {
    manifest.service = service;
  });
}
