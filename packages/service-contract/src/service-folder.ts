import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { valid as validVersion } from "semver";
import { describeIssues } from "./describe-issues.js";
import { describeServiceIdProblem, serviceIdProblem } from "./service-id.js";
import { type ServiceSettings, serviceSettingsSchema } from "./service-settings.js";

/** A folder whose package.json declares it a service, its settings checked. */
export interface ServiceFolder {
  /** The folder name: the event `source` the service reacts to. */
  readonly id: string;
  readonly directory: string;
  readonly settings: ServiceSettings;
  /** The aws-lambda-ric version the image installs, from the package's dependencies. */
  readonly runtimeClientVersion: string;
}

/** Which part of a service folder is wrong, so a caller can say more (e.g. of twin folders). */
export type ServiceFolderProblem = "json" | "id" | "name" | "settings" | "runtime-client";

/** A mistake in a service folder: its message is one line per problem, naming the file. */
export class ServiceFolderError extends Error {
  override readonly name = "ServiceFolderError";
  constructor(
    message: string,
    readonly problem: ServiceFolderProblem,
  ) {
    super(message);
  }
}

/**
 * Reads `<directory>/package.json`: `undefined` when there is none or it has no `"service"`
 * object (not a service); else the service, or a ServiceFolderError naming `file` (how
 * messages name the package.json), the field, its value and what is allowed.
 */
export function readServiceFolder(
  directory: string,
  file = join(directory, "package.json"),
): ServiceFolder | undefined {
  const dir = resolve(directory);
  const manifestPath = join(dir, "package.json");
  if (!existsSync(manifestPath)) return undefined;
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (error) {
    throw new ServiceFolderError(`${file}: not valid JSON (${(error as Error).message})`, "json");
  }
  if (manifest === null || typeof manifest !== "object" || !("service" in manifest))
    return undefined;

  const id = basename(dir);
  const idProblem = serviceIdProblem(id);
  if (idProblem !== undefined) {
    throw new ServiceFolderError(
      `${file}: the folder name "${id}" is the service id and ${describeServiceIdProblem(idProblem)}; rename the folder`,
      "id",
    );
  }
  if (manifest.name !== id) {
    throw new ServiceFolderError(
      `${file}: name is ${JSON.stringify(manifest.name)}; a service's package is named after its folder ("${id}"): run pnpm install, which renames it`,
      "name",
    );
  }
  const parsed = serviceSettingsSchema.safeParse(manifest.service, { reportInput: true });
  if (!parsed.success) {
    throw new ServiceFolderError(describeIssues(file, "service", parsed.error.issues), "settings");
  }
  const dependencies = (manifest.dependencies ?? {}) as Record<string, unknown>;
  const runtimeClientVersion = dependencies["aws-lambda-ric"];
  // An exact version as npm writes it (no range, no "v" prefix): the image installs that one.
  if (
    typeof runtimeClientVersion !== "string" ||
    validVersion(runtimeClientVersion) !== runtimeClientVersion
  ) {
    throw new ServiceFolderError(
      `${file}: dependencies.aws-lambda-ric is ${JSON.stringify(runtimeClientVersion)}; expected: an exact version such as "4.0.2" (the image installs the runtime client at that version)`,
      "runtime-client",
    );
  }
  return { id, directory: dir, settings: parsed.data, runtimeClientVersion };
}
