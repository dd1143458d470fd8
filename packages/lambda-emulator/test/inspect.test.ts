import { describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import {
  CapturedOutput,
  childPids,
  fixtureDir,
  ricCommand,
  startFixture,
  waitFor,
} from "./helpers.js";

describe("inspect", () => {
  it("starts the runtime's node under the inspector before any event, one process, with no timeout", async () => {
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
      // Up before the first event, so a debugger can attach and set breakpoints first.
      await fx.output.waitForLine(/^Debugger listening on ws:\/\/127\.0\.0\.1:\d+\//);
      expect(childPids()).toHaveLength(1);
      const results = await Promise.all([1, 2, 3].map((n) => fx.emulator.invoke({ n })));
      expect(results.map((r) => [r.statusCode, r.body])).toEqual([
        [200, '{"n":1}'],
        [200, '{"n":2}'],
        [200, '{"n":3}'],
      ]);
      expect(fx.output.lines().filter((l) => l.includes("Init Duration"))).toHaveLength(1);
      expect(mostChildren).toBe(1);

      // After a reload, the new process is up before the next event too (the debugger
      // re-attaches), once the old one has gone and freed the port.
      const before = fx.output.lines().filter((l) => l.startsWith("Debugger listening")).length;
      fx.emulator.reload();
      await waitFor(
        () => fx.output.lines().filter((l) => l.startsWith("Debugger listening")).length,
        (n) => n === before + 1,
      );
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
