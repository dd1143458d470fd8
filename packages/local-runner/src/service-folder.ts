import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  readServiceFolder as readContractFolder,
  SERVICE_DEFAULTS,
  ServiceFolderError,
} from "@ebsvc/service-contract";
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

/** The service in `directory`, read and checked as synth reads it (service-contract). */
export function readServiceFolder(directory: string): ServiceFolder {
  const dir = resolve(directory);
  const manifestPath = join(dir, "package.json");
  const dockerfile = join(dir, "Dockerfile");
  if (!existsSync(manifestPath) || !existsSync(dockerfile)) {
    throw new UsageError(`${dir}: not a service folder (it needs a package.json and a Dockerfile)`);
  }
  let service: ReturnType<typeof readContractFolder>;
  try {
    service = readContractFolder(dir);
  } catch (error) {
    if (error instanceof ServiceFolderError) throw new UsageError(error.message);
    throw error;
  }
  if (service === undefined) {
    throw new UsageError(
      `${manifestPath}: has no "service" object, so it is not a service folder; expected e.g. "service": {"successBus": "source"}`,
    );
  }
  return {
    id: service.id,
    directory: dir,
    dockerfile,
    runtimeClientVersion: service.runtimeClientVersion,
    timeoutSeconds: service.settings.timeoutSeconds ?? SERVICE_DEFAULTS.timeoutSeconds,
    memorySize: service.settings.memorySize ?? SERVICE_DEFAULTS.memorySize,
  };
}
