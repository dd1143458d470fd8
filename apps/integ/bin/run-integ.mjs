#!/usr/bin/env node
// pnpm test:integ: the integration test against AWS. Without AWS credentials it prints one
// line saying it was skipped and exits 0; with them it builds the integ app, deploys it,
// checks the assertions and destroys it (dist/run.js).
//
//   --check-credentials  only say whether credentials were found, and where from
//   --no-clean           keep the deployed stacks after the run (to look at them)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";

const integDir = resolve(import.meta.dirname, "..");
const repoRoot = resolve(integDir, "..", "..");
const args = process.argv.slice(2);

/**
 * Bounds the whole credential look-up. With nothing configured only the EC2 instance metadata
 * service is left to probe, which must not hang: 2 s. Something configured may take longer
 * (an SSO refresh, a credential_process): 30 s, and then it is an error, not a skip.
 */
const PROBE_TIMEOUT_MS = 2000;
const CONFIGURED_TIMEOUT_MS = 30_000;

/** What is configured for the SDK to read credentials from (not whether it gives any). */
function configuredSources() {
  const env = process.env;
  const names = [
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  ].filter((name) => env[name]);
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), ".aws", "credentials"),
    env.AWS_CONFIG_FILE ?? join(homedir(), ".aws", "config"),
  ].filter((file) => existsSync(file));
  return [...names, ...files];
}

/**
 * The SDK's default chain, as the CDK CLI uses: environment variables, ~/.aws/credentials and
 * ~/.aws/config profiles (SSO, process, assume-role), web identity token file, container
 * credentials, and the instance metadata service (one try of 1 s).
 * @returns { found: true, source } or { found: false, reason } (nothing to use) or
 *   { found: false, error } (something is configured but gave no credentials)
 */
async function findCredentials() {
  const configured = configuredSources();
  let timer;
  const timeout = new Promise((resolveTimeout) => {
    timer = setTimeout(
      () =>
        resolveTimeout(
          configured.length === 0
            ? { found: false, reason: "the look-up timed out" }
            : {
                found: false,
                error: new Error(
                  `the look-up (${configured.join(", ")}) took over ${CONFIGURED_TIMEOUT_MS / 1000} s`,
                ),
              },
        ),
      configured.length === 0 ? PROBE_TIMEOUT_MS : CONFIGURED_TIMEOUT_MS,
    );
  });
  const lookup = fromNodeProviderChain({ timeout: 1000, maxRetries: 0 })().then(
    (credentials) => ({
      found: true,
      source: Object.keys(credentials.$source ?? {}).join(", ") || "the default provider chain",
    }),
    (error) =>
      /Could not load credentials from any providers/.test(error.message)
        ? { found: false, reason: "none found" }
        : { found: false, error },
  );
  try {
    return await Promise.race([lookup, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const credentials = await findCredentials();
if (!credentials.found && credentials.error) {
  console.error(
    `test:integ: AWS credentials are configured but could not be loaded: ${credentials.error.message}`,
  );
  process.exit(1);
}
if (!credentials.found) {
  const profile = process.env.AWS_PROFILE
    ? ` (AWS_PROFILE=${process.env.AWS_PROFILE} gave none)`
    : "";
  console.log(
    `test:integ skipped: no AWS credentials found${profile}; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to run it (see README "Integration test against AWS")`,
  );
  process.exit(0);
}
if (args.includes("--check-credentials")) {
  console.log(`test:integ: AWS credentials found (${credentials.source})`);
  process.exit(0);
}

console.log(`test:integ: AWS credentials found (${credentials.source}); building`);
const build = spawnSync(
  "pnpm",
  ["turbo", "run", "build", "--filter=@ebsvc/integ", "--output-logs=errors-only"],
  { cwd: repoRoot, stdio: "inherit" },
);
if (build.error || build.status !== 0) {
  console.error("test:integ: the build failed");
  process.exit(1);
}

const { runIntegration } = await import(new URL("../dist/run.js", import.meta.url).href);
process.exitCode = await runIntegration({
  repoRoot,
  integDir,
  clean: !args.includes("--no-clean"),
});
