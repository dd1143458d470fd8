import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readServiceFolder, ServiceFolderError } from "../src/index.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function folder(name: string, manifest: unknown): string {
  const root = mkdtempSync(join(tmpdir(), "contract-"));
  roots.push(root);
  const dir = join(root, name);
  mkdirSync(dir);
  const text = typeof manifest === "string" ? manifest : JSON.stringify(manifest);
  writeFileSync(join(dir, "package.json"), text);
  return dir;
}

const manifest = (name: string, service: unknown = { successBus: "source" }) => ({
  name,
  service,
  dependencies: { "aws-lambda-ric": "4.0.2" },
});

const problem = (dir: string) => {
  try {
    readServiceFolder(dir, "services/x/package.json");
  } catch (error) {
    if (error instanceof ServiceFolderError) return [error.problem, error.message];
    throw error;
  }
  return undefined;
};

describe("readServiceFolder", () => {
  it("reads a service's id, settings and runtime client version", () => {
    const dir = folder(
      "orders",
      manifest("orders", { successBus: "output_bus", memorySize: 1024 }),
    );
    expect(readServiceFolder(dir)).toEqual({
      id: "orders",
      directory: dir,
      settings: { successBus: "output_bus", memorySize: 1024 },
      runtimeClientVersion: "4.0.2",
    });
  });

  it("takes any exact semver version of the runtime client, a pre-release too", () => {
    for (const version of ["4.0.10", "5.0.0-beta.1"]) {
      const dir = folder("orders", {
        ...manifest("orders"),
        dependencies: { "aws-lambda-ric": version },
      });
      expect(readServiceFolder(dir)?.runtimeClientVersion).toBe(version);
    }
  });

  it("passes over a folder without a package.json or without a service object", () => {
    const dir = folder("tools", { name: "tools" });
    expect(readServiceFolder(dir)).toBeUndefined();
    expect(readServiceFolder(join(dir, "nothing"))).toBeUndefined();
  });

  it.each([
    [
      "lambda",
      manifest("lambda"),
      "id",
      'the folder name "lambda" is the service id and is reserved',
    ],
    ["x-", manifest("x-"), "id", 'the folder name "x-" is the service id and must be 1 to 63'],
    ["orders", manifest("payments"), "name", 'name is "payments"'],
    ["orders", manifest("orders", { successBus: "x" }), "settings", 'service.successBus is "x"'],
    ["orders", "{", "json", "not valid JSON"],
    [
      "orders",
      { name: "orders", service: { successBus: "source" } },
      "runtime-client",
      "dependencies.aws-lambda-ric is undefined",
    ],
    ...["^4.0.2", "4.0", "v4.0.2", "4.0.2 ", "4.0.02", "latest"].map((version) => [
      "orders",
      { ...manifest("orders"), dependencies: { "aws-lambda-ric": version } },
      "runtime-client",
      `dependencies.aws-lambda-ric is ${JSON.stringify(version)}; expected: an exact version such as "4.0.2"`,
    ]),
  ])("refuses %s (%j) in one line naming the file: %s", (name, content, kind, text) => {
    const [found, message] = problem(folder(name, content)) ?? [];
    expect(found).toBe(kind);
    expect(message).toContain(`services/x/package.json: ${text}`);
    expect(message).not.toContain("\n");
  });
});
