import { describe, expect, it } from "vitest";
import { childPids, startFixture } from "./helpers.js";

describe("concurrent invocations", () => {
  it("answers 50 in flight with their own bodies, using at most `concurrency` processes", async () => {
    const fx = await startFixture("sleepy", { concurrency: 4 });
    let mostChildren = 0;
    const sampler = setInterval(() => {
      mostChildren = Math.max(mostChildren, childPids().length);
    }, 5);
    try {
      const events = Array.from({ length: 50 }, (_, i) => ({ index: i, tag: `event-${i}` }));
      const results = await Promise.all(events.map((event) => fx.emulator.invoke(event)));

      results.forEach((result, i) => {
        expect(result.statusCode).toBe(200);
        expect(result.body).toBe(JSON.stringify(events[i]));
      });
      const ids = new Set(results.map((r) => r.headers["x-amzn-requestid"]));
      expect(ids.size).toBe(50);

      // Four processes were started (four cold starts) and then reused.
      await fx.output.waitForLine(new RegExp(`^REPORT RequestId: ${[...ids].at(-1)}\\t`));
      const reports = fx.output.lines().filter((l) => l.startsWith("REPORT "));
      expect(reports).toHaveLength(50);
      expect(reports.filter((l) => l.includes("Init Duration"))).toHaveLength(4);
      expect(mostChildren).toBeGreaterThan(0);
      expect(mostChildren).toBeLessThanOrEqual(4);
    } finally {
      clearInterval(sampler);
      await fx.emulator.stop();
    }
  });

  it("queues in FIFO order when every process is busy", async () => {
    const fx = await startFixture("sleepy", { concurrency: 1 });
    try {
      const events = [1, 2, 3, 4].map((order) => ({ order }));
      const finished: number[] = [];
      await Promise.all(
        events.map(async (event) => {
          const result = await fx.emulator.invoke(event);
          finished.push(JSON.parse(result.body).order);
        }),
      );
      expect(finished).toEqual([1, 2, 3, 4]);
    } finally {
      await fx.emulator.stop();
    }
  });
});
