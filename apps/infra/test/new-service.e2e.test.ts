import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyCheckout } from "@ebsvc/test-fixtures";
import { beforeAll, describe, expect, it } from "vitest";
import { shardOf } from "../src/service-shard.js";
import { snapshot } from "./support/snapshot.js";

/**
 * The promise to users, end to end in a copy of this checkout: copy a service folder under a
 * new name, run `pnpm install`, and the next synth has a new wired Lambda.
 */

let repo: string;

/** Runs pnpm in the copy, as a user would, without this run's Turborepo variables. */
function pnpm(...args: string[]) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith("TURBO_") && name !== "npm_config_user_agent",
    ),
  );
  return spawnSync("pnpm", args, {
    cwd: repo,
    env: { ...env, CI: "true", TURBO_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
}

beforeAll(() => {
  repo = copyCheckout("repo-copy-");
  const install = pnpm("install", "--frozen-lockfile", "--prefer-offline");
  expect(install.status, install.stdout + install.stderr).toBe(0);
});

describe("adding a service by copying a folder", () => {
  let install: ReturnType<typeof pnpm>;

  beforeAll(() => {
    cpSync(join(repo, "services", "backtosource"), join(repo, "services", "payments"), {
      recursive: true,
      filter: (path) => !/[/\\](node_modules|dist|\.turbo)$/.test(path),
    });
    // A new folder is a new lockfile entry: CI=true would otherwise freeze the lockfile.
    install = pnpm("install", "--prefer-offline", "--no-frozen-lockfile");
  });

  it("pnpm install names the copied package after its folder", () => {
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toContain(
      'services/payments/package.json: renamed package "backtosource" to "payments"',
    );
    const manifest = JSON.parse(
      readFileSync(join(repo, "services", "payments", "package.json"), "utf8"),
    );
    expect(manifest.name).toBe("payments");
    expect(manifest.service).toEqual({ successBus: "source" });
  });

  it("pnpm synth wires the new service into its shard stack, beside the others", () => {
    const synth = pnpm("synth");
    expect(synth.status, synth.stdout + synth.stderr).toBe(0);
    const out = join(repo, "apps", "infra", "cdk.out");
    const read = (file: string) => JSON.parse(readFileSync(join(out, file), "utf8"));
    const resources = (template: { Resources: Record<string, { Type: string }> }, type: string) =>
      Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

    // The bus stack holds the buses only; each service is a nested stack of its shard stack.
    const busStack = read("EventBridgeServicesStack.template.json");
    expect(resources(busStack, "AWS::CloudFormation::Stack")).toEqual([]);
    expect(resources(busStack, "AWS::Events::EventBus")).toHaveLength(2);
    const placed: Record<string, number> = {};
    for (const file of readdirSync(out)) {
      const shard = file.match(/^EventBridgeServicesStack-Services(\d+)\.template\.json$/)?.[1];
      if (shard === undefined) continue;
      for (const [id] of resources(read(file), "AWS::CloudFormation::Stack")) {
        placed[id.replace(/NestedStack.*/, "")] = Number(shard);
      }
    }
    const expected = ["backtosource", "chained", "payments", "toanother"];
    expect(Object.keys(placed).sort()).toEqual(expected);
    for (const id of expected) expect(placed[id], id).toBe(shardOf(id));

    const shard = shardOf("payments");
    const templateFile = readdirSync(out).find((file) =>
      new RegExp(
        `^EventBridgeServicesStackServices${shard}payments[0-9A-F]{8}\\.nested\\.template\\.json$`,
      ).test(file),
    );
    expect(templateFile).toBeDefined();
    const payments = read(templateFile as string);
    const rules = resources(payments, "AWS::Events::Rule").map(
      ([, rule]) => (rule as unknown as { Properties: { EventPattern: unknown } }).Properties,
    );
    expect(rules.map((rule) => rule.EventPattern)).toEqual([{ source: ["payments"] }]);
    expect(resources(payments, "AWS::Lambda::Function")).toHaveLength(1);
    expect(readFileSync(join(repo, "services", "payments", "dist", "index.mjs"), "utf8")).toContain(
      "Hello AWS!",
    );
  });

  it("a second pnpm synth with no change is all cache hits, but for the config check", () => {
    const again = pnpm("synth");
    expect(again.status).toBe(0);
    expect(again.stdout).not.toMatch(/cache miss/);
    // Two tasks are uncached by design: check-config reads secrets.json on every run, and
    // bundle-services starts the services' own bundle tasks, every one of them a cache hit.
    expect(again.stdout.match(/cache bypass/g)).toHaveLength(2);
    expect(again.stdout).toMatch(/@ebsvc\/infra:check-config: cache bypass/);
    expect(again.stdout).toMatch(/@ebsvc\/infra:bundle-services: cache bypass/);
    const [bundles, synth] = [...again.stdout.matchAll(/Cached:\s+(\d+) cached, (\d+) total/g)];
    expect(again.stdout).toMatch(/@ebsvc\/infra:bundle-services: +Cached: +\d+ cached/);
    expect(Number(bundles?.[1])).toBe(Number(bundles?.[2]));
    expect(Number(synth?.[1])).toBe(Number(synth?.[2]) - 2);
  });

  it("pnpm synth with a bad secrets.json stops with its message and leaves cdk.out as it was", () => {
    const out = join(repo, "apps", "infra", "cdk.out");
    const before = snapshot(out);
    writeFileSync(join(repo, "secrets.json"), '{"account": "123456789012", "region": "mars-1"}');
    try {
      const synth = pnpm("synth");
      expect(synth.status).not.toBe(0);
      expect(synth.stdout + synth.stderr).toMatch(
        /secrets\.json: region is "mars-1"; expected: an AWS region, one of /,
      );
      expect(synth.stdout + synth.stderr).not.toMatch(/^\s+at /m);
      expect([...snapshot(out)]).toEqual([...before]);
    } finally {
      rmSync(join(repo, "secrets.json"));
    }
  });

  it("pnpm turbo deploy without secrets.json stops and says how to create it", () => {
    const deploy = pnpm("turbo", "deploy");
    expect(deploy.status).not.toBe(0);
    expect(deploy.stdout + deploy.stderr).toMatch(
      /Cannot deploy: .*secrets\.json does not exist; create it from the example: cp secrets\.json\.example secrets\.json/,
    );
  });
});
