import { describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import { CapturedOutput, childPids, fixtureDir, ricCommand, startFixture } from "./helpers.js";

describe("inspect", () => {
  it("starts the runtime's node under the inspector, one process, with no timeout", async () => {
    // The sleepy handler takes 200 ms: over a 0.1 s timeout, which the inspector suspends.
    const fx = await startFixture("sleepy", {
      inspect: { port: 0 },
      timeoutSeconds: 0.1,
      concurrency: 4,
    });
    let mostChildren = 0;
    const sampler = setInterval(() => {
      mostChildren = Math.max(mostChildren, childPids().length);
    }, 5);
    try {
      const results = await Promise.all([1, 2, 3].map((n) => fx.emulator.invoke({ n })));
      expect(results.map((r) => [r.statusCode, r.body])).toEqual([
        [200, '{"n":1}'],
        [200, '{"n":2}'],
        [200, '{"n":3}'],
      ]);
      await fx.output.waitForLine(/^Debugger listening on ws:\/\/127\.0\.0\.1:\d+\//);
      expect(fx.output.lines().filter((l) => l.includes("Init Duration"))).toHaveLength(1);
      expect(mostChildren).toBe(1);
    } finally {
      clearInterval(sampler);
      await fx.emulator.stop();
    }
  });

  it("refuses a runtime command that does not start with node", async () => {
    await expect(
      startEmulator({
        command: ["/bin/sh", "-c", "exit 1", "index.handler"],
        taskRoot: fixtureDir("ok"),
        port: 0,
        inspect: {},
        output: new CapturedOutput(),
      }),
    ).rejects.toThrow(/option inspect is \{\}; allowed: a runtime command that starts with node/);
    expect(ricCommand()[0]).toBe(process.execPath);
  });
});
