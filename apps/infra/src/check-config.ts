import { join, resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { discoverServices } from "./discover-services.js";
import { arnPlaceOf, loadSecrets, type Secrets } from "./secrets.js";
import { reportUserErrors } from "./user-error.js";

// Runs before `cdk synth`: the CLI creates its output folder before it starts the app, so a
// configuration mistake caught here leaves no trace in cdk.out, not even an empty folder.
// Every problem of secrets.json and of the services is reported at once.
const repoRoot = resolve(import.meta.dirname, "..", "..", "..");

reportUserErrors(() => {
  const problems: string[] = [];
  let secrets: Secrets | undefined;
  for (const check of [
    () => {
      secrets = loadSecrets(join(repoRoot, "secrets.json"));
    },
    () => discoverServices(join(repoRoot, "services"), repoRoot, secrets && arnPlaceOf(secrets)),
  ]) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
});
