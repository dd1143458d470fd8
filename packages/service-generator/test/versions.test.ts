import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareVersions, FALLBACK_VERSIONS, serviceDependencyVersions } from "../src/index.js";
import { REPO_ROOT, tempDir } from "./support.js";

function repoWithServices(manifests: Record<string, unknown>): string {
  const root = tempDir("versions-");
  for (const [folder, manifest] of Object.entries(manifests)) {
    mkdirSync(join(root, "services", folder), { recursive: true });
    writeFileSync(
      join(root, "services", folder, "package.json"),
      typeof manifest === "string" ? manifest : JSON.stringify(manifest),
    );
  }
  return root;
}

const service = (ric: string, esbuild = "0.28.2") => ({
  service: { successBus: "source" },
  dependencies: { "aws-lambda-ric": ric },
  devDependencies: { esbuild, "@types/aws-lambda": "8.10.164" },
});

describe("serviceDependencyVersions", () => {
  it("in this checkout, the fallbacks are what the services use", () => {
    expect(serviceDependencyVersions(REPO_ROOT)).toEqual(FALLBACK_VERSIONS);
  });

  it("takes the version most services declare", () => {
    const root = repoWithServices({
      a: service("4.0.1"),
      b: service("4.0.2"),
      c: service("4.0.2"),
    });
    expect(serviceDependencyVersions(root)["aws-lambda-ric"]).toBe("4.0.2");
  });

  it("takes the highest on a tie", () => {
    const root = repoWithServices({
      a: service("4.0.10", "0.28.1"),
      b: service("4.0.9", "0.29.0"),
    });
    expect(serviceDependencyVersions(root)).toMatchObject({
      "aws-lambda-ric": "4.0.10",
      esbuild: "0.29.0",
    });
  });

  it("reads only services, and falls back when none declares a dependency", () => {
    const root = repoWithServices({
      "not-a-service": { dependencies: { "aws-lambda-ric": "1.0.0" } },
      broken: "{ not json",
      lean: { service: { successBus: "source" }, dependencies: { "aws-lambda-ric": "4.1.0" } },
    });
    expect(serviceDependencyVersions(root)).toEqual({
      ...FALLBACK_VERSIONS,
      "aws-lambda-ric": "4.1.0",
    });
    expect(serviceDependencyVersions(tempDir("no-services-"))).toEqual(FALLBACK_VERSIONS);
  });
});

describe("compareVersions", () => {
  it("orders numeric parts as numbers", () => {
    expect(["4.0.10", "10.0.0", "4.0.2", "4.1"].sort(compareVersions)).toEqual([
      "4.0.2",
      "4.0.10",
      "4.1",
      "10.0.0",
    ]);
  });

  it("puts a pre-release before its release, and a tag or workspace link before any version", () => {
    expect(
      ["4.1.0", "latest", "4.1.0-beta.2", "workspace:*", "^4.0.5"].sort(compareVersions),
    ).toEqual(["latest", "workspace:*", "^4.0.5", "4.1.0-beta.2", "4.1.0"]);
  });
});
