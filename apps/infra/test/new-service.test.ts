import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { snapshot } from "./support/snapshot.js";
import { REPO_ROOT, tempDir } from "./support/temp-repo.js";

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
  repo = tempDir("repo-copy-");
  // What a clone would hold: tracked files plus new ones not ignored.
  const files = execFileSync(
    "git",
    ["ls-files", "--cached", "--others", "--exclude-standard", "-z"],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
    },
  )
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    try {
      cpSync(join(REPO_ROOT, file), join(repo, file));
    } catch {
      // deleted in the work tree but still in the index
    }
  }
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

  it("pnpm synth wires the new service into the stack", () => {
    const synth = pnpm("synth");
    expect(synth.status, synth.stdout + synth.stderr).toBe(0);
    const out = join(repo, "apps", "infra", "cdk.out");
    const root = JSON.parse(
      readFileSync(join(out, "EventBridgeServicesStack.template.json"), "utf8"),
    );
    const nested = Object.keys(root.Resources).filter((id) => id.includes("NestedStack"));
    expect(nested.map((id) => id.replace(/NestedStack.*/, "")).sort()).toEqual([
      "backtosource",
      "payments",
      "toanother",
    ]);
    const templateFile = readdirSync(out).find((file) =>
      /^EventBridgeServicesStackpayments[0-9A-F]+\.nested\.template\.json$/.test(file),
    );
    expect(templateFile).toBeDefined();
    const payments = JSON.parse(readFileSync(join(out, templateFile as string), "utf8"));
    const rules = Object.values(payments.Resources).filter(
      (resource) => (resource as { Type: string }).Type === "AWS::Events::Rule",
    ) as Array<{ Properties: { EventPattern: unknown } }>;
    expect(rules.map((rule) => rule.Properties.EventPattern)).toEqual([{ source: ["payments"] }]);
    expect(readFileSync(join(repo, "services", "payments", "dist", "index.mjs"), "utf8")).toContain(
      "Hello AWS!",
    );
  });

  it("a second pnpm synth with no change is all cache hits", () => {
    const again = pnpm("synth");
    expect(again.status).toBe(0);
    const counts = again.stdout.match(/Cached:\s+(\d+) cached, (\d+) total/);
    expect(counts?.[1]).toBe(counts?.[2]);
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
