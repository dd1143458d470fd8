import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  editManifest,
  tempDir,
  tempRepo,
  withInfraApp,
  writeSecrets,
} from "./support/temp-repo.js";

/** Runs one of the app's entry points as the CDK CLI (or the deploy script) does. */
function run(root: string, script: string, ...args: string[]) {
  const infra = withInfraApp(root);
  const outdir = tempDir("cdk-out-");
  const result = spawnSync(process.execPath, [join(infra, "dist", script), ...args], {
    cwd: infra,
    env: { ...process.env, CDK_OUTDIR: outdir, PATH: process.env.PATH },
    encoding: "utf8",
  });
  return { ...result, outdir };
}

const NO_STACK_TRACE = /^\s+at /m;

describe("the CDK app entry point (dist/main.js)", () => {
  it("synthesizes without secrets.json and says it is environment-agnostic, in one line", () => {
    const result = run(tempRepo(), "main.js");
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe(
      "No secrets.json: synthesizing an environment-agnostic stack (account and region are resolved at deploy time).",
    );
    expect(existsSync(join(result.outdir, "EventBridgeServicesStack.template.json"))).toBe(true);
  });

  it("stays silent and targets the account with a valid secrets.json", () => {
    const result = run(
      tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } }),
      "main.js",
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("stops on a bad secrets.json with the message alone and exit 1", () => {
    const result = run(tempRepo({ secrets: { account: "12", region: "eu-west-1" } }), "main.js");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /secrets\.json: account is "12"; expected: the 12-digit AWS account id/,
    );
    expect(result.stderr).not.toMatch(NO_STACK_TRACE);
    expect(existsSync(join(result.outdir, "EventBridgeServicesStack.template.json"))).toBe(false);
  });

  it("stops on a malformed service setting, naming the folder and field", () => {
    const root = tempRepo();
    editManifest(join(root, "services", "backtosource"), (manifest) => {
      manifest.service = { successBus: "source", retryAttempts: 7 };
    });
    const result = run(root, "main.js");
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      "services/backtosource/package.json: service.retryAttempts is 7; allowed: an integer from 0 to 2 (retries)",
    );
  });
});

describe("the deploy preflight (dist/check-deploy.js)", () => {
  it("stops without secrets.json and says how to create it", () => {
    const result = run(tempRepo(), "check-deploy.js");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /Cannot deploy: .*secrets\.json does not exist; create it from the example: cp secrets\.json\.example secrets\.json/,
    );
    expect(result.stderr).not.toMatch(NO_STACK_TRACE);
  });

  it("stops on an invalid secrets.json", () => {
    const root = tempRepo();
    writeSecrets(root, { account: "123456789012", region: "moon-1" });
    const result = run(root, "check-deploy.js");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/region is "moon-1"/);
  });

  it("passes with a valid secrets.json when no engine is needed", () => {
    const root = tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } });
    const result = run(root, "check-deploy.js", "--without-docker");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("stops when deploying needs a Docker engine and none answers", () => {
    const root = tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } });
    const infra = withInfraApp(root);
    const result = spawnSync(process.execPath, [join(infra, "dist", "check-deploy.js")], {
      cwd: infra,
      env: { ...process.env, DOCKER_HOST: "unix:///nonexistent/docker.sock" },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Cannot deploy: no Docker engine answers `docker info`/);
  });
});
