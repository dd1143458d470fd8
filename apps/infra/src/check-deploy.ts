import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { loadSecrets, SECRETS_HOW_TO } from "./secrets.js";
import { reportUserErrors } from "./user-error.js";

// Runs before `cdk deploy` and `cdk destroy`: both need a target (secrets.json); a deployment
// also needs a Docker engine, since cdk-assets builds the service images. Say what is missing
// before the CLI starts. `--without-docker` skips the engine check (destroy).
const repoRoot = resolve(import.meta.dirname, "..", "..", "..");
const secretsPath = join(repoRoot, "secrets.json");

function check(): void {
  if (!existsSync(secretsPath)) {
    throw new ConfigError(`Cannot deploy: ${secretsPath} does not exist; ${SECRETS_HOW_TO}`);
  }
  loadSecrets(secretsPath);
  if (process.argv.includes("--without-docker")) return;
  const docker = spawnSync("docker", ["info"], { stdio: "ignore" });
  if (docker.error || docker.status !== 0) {
    throw new ConfigError(
      "Cannot deploy: no Docker engine answers `docker info`; deploying builds each service's container image, so start Docker first",
    );
  }
}

reportUserErrors(check);
