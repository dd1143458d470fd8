import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import {
  type ArnPlace,
  readServiceFolder,
  type ServiceFolder,
  ServiceFolderError,
} from "@ebsvc/service-contract";
import { ConfigError } from "./config-error.js";
import { checkSubscriptions } from "./subscription-graph.js";

/** A folder of services/ that declares itself a service. */
export type DiscoveredService = ServiceFolder;

/**
 * Every `<servicesRoot>/<id>/` whose package.json has a `"service"` object, sorted by id so
 * the synthesized app does not depend on directory order. All problems are reported at once.
 * `place` is where the app deploys, when known: the cycle check matches patterns against
 * result events with the ARNs the functions will have there.
 */
export function discoverServices(
  servicesRoot: string,
  displayRoot = servicesRoot,
  place?: ArnPlace,
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
    const file = display(join(directory, "package.json"));
    // Folders whose names differ only in case would be one service: ids are lowercase.
    const twins = folders
      .filter((other) => other !== name && other.toLowerCase() === name.toLowerCase())
      .map((other) => display(join(servicesRoot, other)));
    try {
      const service = readServiceFolder(directory, file);
      if (service) services.push(service);
    } catch (error) {
      if (!(error instanceof ServiceFolderError)) throw error;
      problems.push(
        error.problem === "id" && twins.length > 0
          ? `${file}: the folder name "${name}" is the same service id as ${twins.join(", ")} (ids are compared ignoring case: a service id is its lowercase event source, package and image name); keep one of these folders`
          : error.message,
      );
    }
  }
  services.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (problems.length === 0) {
    problems.push(
      ...checkSubscriptions(
        services,
        (service) => display(join(service.directory, "package.json")),
        place,
      ),
    );
  }
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  return services;
}
