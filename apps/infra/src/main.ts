import { resolve } from "node:path";
import { createApp } from "./app.js";
import { ConfigError } from "./config-error.js";

// The CDK CLI runs this file (cdk.json "app"). A configuration mistake prints its message
// and exits 1; anything else is a bug and keeps its stack trace.
try {
  createApp({ repoRoot: resolve(import.meta.dirname, "..", "..", "..") }).synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
