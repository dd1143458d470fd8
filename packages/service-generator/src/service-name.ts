import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  SERVICE_ID_RULE,
  SUCCESS_BUS_CHOICES,
  type SuccessBusChoice,
  serviceIdProblem,
} from "@ebsvc/service-contract";

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
  for (const dir of workspacePackageDirs(root)) {
    const manifest = readManifest(join(dir, "package.json"));
    if (manifest?.name === name) {
      const where = relative(root, dir) || "the workspace root";
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

/** The root and every folder its pnpm-workspace.yaml globs (`dir/*` or `dir`) name. */
function workspacePackageDirs(root: string): string[] {
  const dirs = [root];
  const workspaceFile = join(root, "pnpm-workspace.yaml");
  if (!existsSync(workspaceFile)) return dirs;
  let inPackages = false;
  for (const line of readFileSync(workspaceFile, "utf8").split("\n")) {
    if (/^\S/.test(line)) inPackages = line.startsWith("packages:");
    const entry = inPackages ? /^\s+-\s+["']?([^"'\s#]+)/.exec(line)?.[1] : undefined;
    if (entry === undefined || entry.startsWith("!")) continue;
    if (entry.endsWith("/*")) {
      const parent = join(root, entry.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const child of readdirSync(parent, { withFileTypes: true })) {
        if (child.isDirectory()) dirs.push(join(parent, child.name));
      }
    } else {
      dirs.push(join(root, entry));
    }
  }
  return dirs;
}

function readManifest(path: string): { name?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}
