import { describe, expect, it } from "vitest";
import { isAlive, startFixture, waitFor } from "./helpers.js";

describe("the function's memory size", () => {
  it("kills a runtime that goes over it: Runtime.OutOfMemory, and the next invoke gets a fresh runtime", async () => {
    const fx = await startFixture("hungry", { memorySizeMb: 128, concurrency: 1 });
    try {
      const warm = JSON.parse((await fx.emulator.invoke({ mb: 8 })).body);
      expect(warm.allocatedMb).toBe(8);

      const killed = await fx.emulator.invoke({ mb: 640 });
      const id = String(killed.headers["x-amzn-requestid"]);
      expect(killed.statusCode).toBe(200);
      expect(killed.headers["x-amz-function-error"]).toBe("Unhandled");
      expect(JSON.parse(killed.body)).toEqual({
        errorType: "Runtime.OutOfMemory",
        errorMessage: `RequestId: ${id} Error: Runtime exited with error: signal: killed`,
      });
      await fx.output.waitForLine(/^Runtime\.OutOfMemory$/);
      const report = await fx.output.waitForLine(new RegExp(`^REPORT RequestId: ${id}\\t`));
      expect(report).toContain("Memory Size: 128 MB\tMax Memory Used: 128 MB");
      await waitFor(
        () => isAlive(warm.pid),
        (alive) => !alive,
      );

      const next = await fx.emulator.invoke({ mb: 16 });
      expect(next.statusCode).toBe(200);
      const fresh = JSON.parse(next.body);
      expect(fresh.allocatedMb).toBe(16);
      expect(fresh.pid).not.toBe(warm.pid);
      const nextId = String(next.headers["x-amzn-requestid"]);
      await fx.output.waitForLine(new RegExp(`^REPORT RequestId: ${nextId}\\tInit Duration`));
    } finally {
      await fx.emulator.stop();
    }
  });

  it("counts memory kept from earlier invocations, as one execution environment does", async () => {
    const fx = await startFixture("hungry", { memorySizeMb: 256, concurrency: 1 });
    try {
      for (let round = 0; round < 2; round += 1) {
        const ok = await fx.emulator.invoke({ mb: 64, keep: true });
        expect(ok.headers["x-amz-function-error"], `round ${round}`).toBeUndefined();
      }
      const third = await fx.emulator.invoke({ mb: 96, keep: true });
      expect(JSON.parse(third.body).errorType).toBe("Runtime.OutOfMemory");
    } finally {
      await fx.emulator.stop();
    }
  });
});
