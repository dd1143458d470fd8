import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SERVICE_ID_PATTERN, SERVICE_ID_RULE } from "@ebsvc/service-construct";
import { ConfigError, describeIssues } from "./config-error.js";
import { type ServiceSettings, serviceSettingsSchema } from "./service-settings.js";
import { checkSubscriptions } from "./subscription-graph.js";

/** A folder of services/ that declares itself a service. */
export interface DiscoveredService {
  /** The folder name: the event `source` the service reacts to. */
  readonly id: string;
  readonly directory: string;
  readonly settings: ServiceSettings;
  /** The aws-lambda-ric version the image installs, from the package's dependencies. */
  readonly runtimeClientVersion: string;
}

/**
 * Every `<servicesRoot>/<id>/` whose package.json has a `"service"` object, sorted by id so
 * the synthesized app does not depend on directory order. All problems are reported at once.
 */
export function discoverServices(
  servicesRoot: string,
  displayRoot = servicesRoot,
): DiscoveredService[] {
  const services: DiscoveredService[] = [];
  const problems: string[] = [];
  const folders = readdirSync(servicesRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => existsSync(join(servicesRoot, name, "package.json")));
  const display = (path: string) => relative(displayRoot, path) || path;
  for (const name of folders) {
    const directory = join(servicesRoot, name);
    const manifestPath = join(directory, "package.json");
    const file = display(manifestPath);
    // Folders whose names differ only in case would be one service: ids are lowercase.
    const twins = folders
      .filter((other) => other !== name && other.toLowerCase() === name.toLowerCase())
      .map((other) => display(join(servicesRoot, other)));
    try {
      const service = readService(name, directory, manifestPath, file, twins);
      if (service) services.push(service);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  services.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (problems.length === 0) {
    problems.push(
      ...checkSubscriptions(services, (service) =>
        display(join(service.directory, "package.json")),
      ),
    );
  }
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  return services;
}

function readService(
  id: string,
  directory: string,
  manifestPath: string,
  file: string,
  twins: string[],
): DiscoveredService | undefined {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (manifest === null || typeof manifest !== "object" || !("service" in manifest))
    return undefined;

  if (!SERVICE_ID_PATTERN.test(id) && twins.length > 0) {
    throw new ConfigError(
      `${file}: the folder name "${id}" is the same service id as ${twins.join(", ")} (ids are compared ignoring case: a service id is its lowercase event source, package and image name); keep one of these folders`,
    );
  }
  if (!SERVICE_ID_PATTERN.test(id)) {
    throw new ConfigError(
      `${file}: the folder name "${id}" is the service id and must be ${SERVICE_ID_RULE}; rename the folder`,
    );
  }
  if (manifest.name !== id) {
    throw new ConfigError(
      `${file}: name is ${JSON.stringify(manifest.name)}; a service's package is named after its folder ("${id}"): run pnpm install, which renames it`,
    );
  }
  const parsed = serviceSettingsSchema.safeParse(manifest.service, { reportInput: true });
  if (!parsed.success) throw new ConfigError(describeIssues(file, "service", parsed.error.issues));

  const dependencies = (manifest.dependencies ?? {}) as Record<string, unknown>;
  const runtimeClientVersion = dependencies["aws-lambda-ric"];
  if (typeof runtimeClientVersion !== "string" || !/^\d+\.\d+\.\d+$/.test(runtimeClientVersion)) {
    throw new ConfigError(
      `${file}: dependencies.aws-lambda-ric is ${JSON.stringify(runtimeClientVersion)}; expected: an exact version such as "4.0.2" (the image installs the runtime client at that version)`,
    );
  }
  return { id, directory, settings: parsed.data, runtimeClientVersion };
}
