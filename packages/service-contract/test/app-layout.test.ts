import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { APP_ASSEMBLY_DIR, WorkspaceRootError, workspaceRoot } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");

describe("the app's layout", () => {
  it("finds the monorepo root from any folder inside it", () => {
    expect(workspaceRoot(here)).toBe(repo);
    expect(workspaceRoot(repo)).toBe(repo);
  });

  it("says where it looked when run outside the monorepo", () => {
    const outside = mkdtempSync(join(tmpdir(), "no-workspace-"));
    try {
      expect(() => workspaceRoot(outside)).toThrow(
        new WorkspaceRootError(
          `no pnpm-workspace.yaml above ${outside}: run from inside the monorepo, or pass --assembly <cdk.out folder>`,
        ),
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("names the folder the CDK app writes its assembly to", () => {
    const cdkJson = JSON.parse(readFileSync(join(repo, "apps", "infra", "cdk.json"), "utf8")) as {
      output: string;
    };
    expect(APP_ASSEMBLY_DIR).toBe(`apps/infra/${cdkJson.output}`);
  });
});
