import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  SERVICE_ID_RULE,
  SUCCESS_BUS_CHOICES,
  type SuccessBusChoice,
  serviceIdProblem,
} from "@ebsvc/service-contract";
import { type WorkspacePackage, workspacePackages } from "./workspace-packages.js";

/**
 * Why `name` cannot be the name of a new service under `<root>/services/`, in one line naming
 * the value and what is allowed; `undefined` when it can.
 */
export function checkServiceName(name: string, root: string): string | undefined {
  const value = JSON.stringify(name);
  // The name is the service id: discovery refuses at synth exactly what this refuses.
  const problem = serviceIdProblem(name);
  if (problem?.kind === "rule") return `the service name is ${value}; allowed: ${SERVICE_ID_RULE}`;
  if (problem?.kind === "reserved") {
    return `the service name is ${value}, which is reserved: ${problem.why}`;
  }

  // Case-insensitively, as a clone on macOS or Windows would see the folders.
  const servicesDir = join(root, "services");
  const existing = existsSync(servicesDir)
    ? readdirSync(servicesDir).find((entry) => entry.toLowerCase() === name)
    : undefined;
  if (existing !== undefined) {
    return `the service name is ${value}, which is taken: services/${existing} already exists`;
  }
  // Turborepo refuses two packages with one name, and a service's package is named after it.
  let packages: WorkspacePackage[];
  try {
    packages = workspacePackages(root);
  } catch (error) {
    return `the service name ${value} cannot be checked against the workspace's packages: ${(error as Error).message}`;
  }
  for (const pkg of packages) {
    if (pkg.name === name) {
      const where = pkg.relativeDir === "" ? "the workspace root" : pkg.relativeDir;
      return `the service name is ${value}, which is taken: the package in ${where} has that name`;
    }
  }
  return undefined;
}

/** Where a generated service's results go (`"service".successBus` in its package.json). */
export function checkSuccessBus(bus: string): string | undefined {
  if ((SUCCESS_BUS_CHOICES as readonly string[]).includes(bus as SuccessBusChoice))
    return undefined;
  return `the success bus is ${JSON.stringify(bus)}; allowed: ${SUCCESS_BUS_CHOICES.map((choice) => JSON.stringify(choice)).join(", ")}`;
}
