import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { snapshot } from "./support/snapshot.js";
import {
  copyService,
  editManifest,
  tempDir,
  tempRepo,
  withInfraApp,
  writeSecrets,
} from "./support/temp-repo.js";

/** Runs one of the app's entry points as the CDK CLI (or the deploy script) does. */
function run(
  root: string,
  script: string,
  args: string[] = [],
  outdir = tempDir("cdk-out-"),
  env: Record<string, string> = {},
) {
  const infra = existsSync(join(root, "apps", "infra"))
    ? join(root, "apps", "infra")
    : withInfraApp(root);
  const result = spawnSync(process.execPath, [join(infra, "dist", script), ...args], {
    cwd: infra,
    env: { ...process.env, CDK_OUTDIR: outdir, PATH: process.env.PATH, ...env },
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
    for (const stack of [
      "EventBridgeServicesStack",
      "EventBridgeServicesStack-Services2",
      "EventBridgeServicesStack-Services3",
    ]) {
      expect(existsSync(join(result.outdir, `${stack}.template.json`)), stack).toBe(true);
    }
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
  // A copied folder keeps working only under an id the generator would also accept: `lambda`
  // would match every result event (its own included) and loop; `x-` is no image name.
  it.each([
    ["lambda", 'is reserved: result events have source "lambda"'],
    ["x-", "must be 1 to 63 lowercase letters, digits and hyphens"],
  ])("stops on a copied services/%s folder, in one line naming the folder", (id, reason) => {
    const root = tempRepo();
    editManifest(copyService(root, "backtosource", id), (manifest) => {
      manifest.name = id;
    });
    const result = run(root, "main.js");
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `services/${id}/package.json: the folder name "${id}" is the service id and ${reason}`,
    );
    expect(existsSync(join(result.outdir, "EventBridgeServicesStack.template.json"))).toBe(false);
  });
});

describe("the assembly the entry point writes", () => {
  // One repository synthesized twice with a valid secrets.json serves the first three checks.
  let root: string;
  let first: ReturnType<typeof run>;
  let second: ReturnType<typeof run>;
  beforeAll(() => {
    root = tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } });
    first = run(root, "main.js");
    second = run(root, "main.js");
  });

  it("is written silently with a valid secrets.json", () => {
    expect([first.status, second.status]).toEqual([0, 0]);
    expect(first.stderr).toBe("");
  });

  it("is byte-identical from one synth to the next", () => {
    expect([...snapshot(second.outdir)]).toEqual([...snapshot(first.outdir)]);
  });

  it("stays as it was when a later synth stops on a bad secrets.json", () => {
    const before = snapshot(second.outdir);
    writeSecrets(root, { account: "123456789012", region: "eu-west-9" });
    const bad = run(root, "main.js", [], second.outdir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /secrets\.json: region is "eu-west-9"; expected: an AWS region, one of eu-/,
    );
    expect(bad.stderr).not.toMatch(NO_STACK_TRACE);
    expect([...snapshot(second.outdir)]).toEqual([...before]);
    expect(
      readdirSync(join(second.outdir, "..")).filter((name) => name.includes(".staging-")),
    ).toEqual([]);
  });

  it("holds nothing of an earlier synth, and keeps the CDK CLI's lock and error files", () => {
    const root = tempRepo();
    const first = run(root, "main.js");
    // chained: no service follows its results, so it can go alone.
    expect(readdirSync(first.outdir).filter((file) => file.includes("chained"))).toHaveLength(1);
    rmSync(join(root, "services", "chained"), { recursive: true });
    writeFileSync(join(first.outdir, "synth.lock"), "4242");
    writeFileSync(join(first.outdir, "error.txt"), "");
    const second = run(root, "main.js", [], first.outdir, {
      CDK_ERROR_FILE: join(first.outdir, "error.txt"),
    });
    expect(second.status).toBe(0);
    const files = readdirSync(second.outdir);
    expect(files.filter((file) => file.includes("chained"))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(["synth.lock", "error.txt", "manifest.json"]));
  });
});

describe("the CDK CLI through the package's synth script", () => {
  /** `npm run synth` in the temporary repository's infra app: the preflight, then cdk synth. */
  function synthScript(root: string) {
    const infra = join(root, "apps", "infra");
    if (!existsSync(infra)) withInfraApp(root);
    return spawnSync("npm", ["run", "--silent", "synth"], { cwd: infra, encoding: "utf8" });
  }

  it("writes cdk.out with a good configuration", () => {
    const root = tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } });
    const result = synthScript(root);
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(root, "apps", "infra", "cdk.out", "manifest.json"))).toBe(true);
  });

  it("stops on a bad secrets.json before the CLI starts: no cdk.out, not even an empty one", () => {
    const root = tempRepo({ secrets: { account: "12345678901", region: "eu-west-1" } });
    const result = synthScript(root);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      `${join(root, "secrets.json")}: account is "12345678901"; expected: the 12-digit AWS account id, as a string`,
    );
    expect(existsSync(join(root, "apps", "infra", "cdk.out"))).toBe(false);
  });

  it("leaves an existing cdk.out as it was when a service setting is bad", () => {
    const root = tempRepo();
    expect(synthScript(root).status).toBe(0);
    const cdkOut = join(root, "apps", "infra", "cdk.out");
    const before = snapshot(cdkOut);
    editManifest(join(root, "services", "toanother"), (manifest) => {
      manifest.service = { successBus: "output_bus", logRetentionDays: 31 };
    });
    const result = synthScript(root);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toMatch(
      /^services\/toanother\/package\.json: service\.logRetentionDays is 31; allowed: one of 1, 3, 5, 7, 14, 30, 60, 90, .*\(days\)$/,
    );
    expect([...snapshot(cdkOut)]).toEqual([...before]);
  });
});

describe("the synth preflight (dist/check-config.js)", () => {
  it("passes silently on a good configuration", () => {
    const result = run(tempRepo(), "check-config.js");
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("stops on a bad secrets.json and bad service settings, reporting them all, one line each", () => {
    const root = tempRepo({ secrets: { account: "123456789012", region: "moon-1", extra: 1 } });
    editManifest(join(root, "services", "backtosource"), (manifest) => {
      manifest.service = { successBus: "elsewhere" };
    });
    const result = run(root, "check-config.js");
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /secrets\.json: region is "moon-1"; expected: an AWS region, one of af-south-1, .*, us-west-2$/,
      ),
      expect.stringMatching(
        /secrets\.json: extra: not a known field; allowed fields: account, region, existingBuses, alarmTopicArn$/,
      ),
      'services/backtosource/package.json: service.successBus is "elsewhere"; allowed: "source", "source_bus", "output_bus"',
    ]);
    expect(result.stderr).not.toMatch(NO_STACK_TRACE);
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
    const result = run(root, "check-deploy.js", ["--without-docker"]);
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
