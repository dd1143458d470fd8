import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/temp-repo.js";

interface DryTask {
  taskId: string;
  package: string;
  directory: string;
  command: string;
  dependencies: string[];
  resolvedTaskDefinition: { inputs: string[]; outputs: string[]; cache: boolean };
}

/** The tasks `turbo run <tasks>` would run, as its dry run reports them. */
function dryRun(...args: string[]): DryTask[] {
  const result = spawnSync("pnpm", ["exec", "turbo", "run", ...args, "--dry=json"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout).tasks;
}

const serviceIds = readdirSync(join(REPO_ROOT, "services")).filter((folder) => {
  try {
    return (
      "service" in
      JSON.parse(readFileSync(join(REPO_ROOT, "services", folder, "package.json"), "utf8"))
    );
  } catch {
    return false;
  }
});

describe("the Turborepo task graph", () => {
  it("gives each service its own cached bundle task, on its sources, writing its own dist/", () => {
    const bundles = dryRun("bundle", "--filter=./services/*").filter((t) =>
      t.taskId.endsWith("#bundle"),
    );
    expect(bundles.map((t) => t.package).sort()).toEqual([...serviceIds].sort());
    for (const task of bundles) {
      expect(task.directory).toBe(`services/${task.package}`);
      expect(task.resolvedTaskDefinition.cache).toBe(true);
      expect(task.resolvedTaskDefinition.outputs).toEqual(["dist/**"]);
      expect(task.resolvedTaskDefinition.inputs).toEqual(
        expect.arrayContaining(["src/**", "package.json", "tsconfig.json"]),
      );
    }
  });

  it("has no task that writes outside its own package", () => {
    const tasks = dryRun("build", "bundle", "synth", "test", "test:e2e", "typecheck");
    expect(tasks.length).toBeGreaterThan(serviceIds.length);
    for (const task of tasks) {
      for (const output of task.resolvedTaskDefinition.outputs) {
        expect(output, `${task.taskId} declares output ${output}`).not.toMatch(
          /^\$TURBO_ROOT\$|^\.\.|^\//,
        );
      }
    }
  });

  it("has synth wait for every service's bundle, through infra's bundle-services task", () => {
    const tasks = dryRun("synth", "--filter=@ebsvc/infra");
    const task = (id: string) => tasks.find((t) => t.taskId === id);
    expect(task("@ebsvc/infra#synth")?.dependencies).toEqual(
      expect.arrayContaining(["@ebsvc/infra#build", "@ebsvc/infra#bundle-services"]),
    );
    // Turborepo cannot depend on a glob of packages (vercel/turborepo#4145), so this uncached
    // task runs the services' own bundle tasks through turbo: a new folder needs no edit.
    const dispatch = task("@ebsvc/infra#bundle-services");
    expect(dispatch?.resolvedTaskDefinition.cache).toBe(false);
    expect(dispatch?.command).toBe(
      'turbo run bundle --cwd ../.. --filter="./services/*" --output-logs=errors-only',
    );
    expect(task("@ebsvc/infra#build")?.command).toBe("tsc -p tsconfig.build.json");
  });
});
