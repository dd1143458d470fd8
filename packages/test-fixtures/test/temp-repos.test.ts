import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKOUT_ROOT, copyCheckout, removeTempDirs, tempDir } from "../src/temp-repos.js";

describe("temporary repositories", () => {
  it("copies the checkout as a clone holds it, and removes what it made", () => {
    const repo = copyCheckout("fixtures-test-");
    expect(readFileSync(join(repo, "package.json"), "utf8")).toBe(
      readFileSync(join(CHECKOUT_ROOT, "package.json"), "utf8"),
    );
    expect(existsSync(join(repo, "packages", "test-fixtures", "src", "temp-repos.ts"))).toBe(true);
    expect(existsSync(join(repo, "node_modules"))).toBe(false);
    expect(existsSync(join(repo, "packages", "test-fixtures", "dist"))).toBe(false);
    const other = tempDir("fixtures-test-");
    removeTempDirs();
    expect([existsSync(repo), existsSync(other)]).toEqual([false, false]);
  });
});
