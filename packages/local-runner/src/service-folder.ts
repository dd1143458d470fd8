import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { SERVICE_DEFAULTS } from "@ebsvc/service-construct/defaults";
import { UsageError } from "./usage-error.js";

/** What running a service locally needs to know about its folder. */
export interface ServiceFolder {
  readonly id: string;
  readonly directory: string;
  readonly dockerfile: string;
  /** The aws-lambda-ric version the image installs (its RIC_VERSION build argument). */
  readonly runtimeClientVersion: string;
  /** The deployed function's timeout and memory, so a local run behaves the same. */
  readonly timeoutSeconds: number;
  readonly memorySize: number;
}

export function readServiceFolder(directory: string): ServiceFolder {
  const dir = resolve(directory);
  const manifestPath = join(dir, "package.json");
  const dockerfile = join(dir, "Dockerfile");
  if (!existsSync(manifestPath) || !existsSync(dockerfile)) {
    throw new UsageError(`${dir}: not a service folder (it needs a package.json and a Dockerfile)`);
  }
  let manifest: { dependencies?: Record<string, string>; service?: Record<string, unknown> };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (error) {
    throw new UsageError(`${manifestPath}: not valid JSON (${(error as Error).message})`);
  }
  const runtimeClientVersion = manifest.dependencies?.["aws-lambda-ric"];
  if (!runtimeClientVersion) {
    throw new UsageError(
      `${manifestPath}: dependencies has no aws-lambda-ric; the image needs its version`,
    );
  }
  const setting = (name: string, fallback: number): number => {
    const value = manifest.service?.[name];
    return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return {
    id: basename(dir),
    directory: dir,
    dockerfile,
    runtimeClientVersion,
    timeoutSeconds: setting("timeoutSeconds", SERVICE_DEFAULTS.timeoutSeconds),
    memorySize: setting("memorySize", SERVICE_DEFAULTS.memorySize),
  };
}
