import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BUILT_QUEUES = fileURLToPath(new URL("../../dist/queues/index.js", import.meta.url));

describe("a pending long poll", () => {
  // Runs the built package in a fresh process, as the environment runs it.
  it("does not keep the process alive", () => {
    expect(existsSync(BUILT_QUEUES), "build first: pnpm build").toBe(true);
    const script = `
      const { LocalQueue } = await import(${JSON.stringify(BUILT_QUEUES)});
      const queue = new LocalQueue({
        name: "q",
        arn: "arn:aws:sqs:us-east-1:123456789012:q",
        url: "http://127.0.0.1:1/123456789012/q",
      });
      queue.receive({ waitTimeSeconds: 20 }).then(() => console.log("resolved"));
      console.log("waiting");
    `;
    const started = Date.now();
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("waiting\n");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
