import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { childPids, startFixture, waitFor } from "./helpers.js";

describe("when the handler throws", () => {
  it("answers 200 with the runtime's error JSON and X-Amz-Function-Error, and keeps the process", async () => {
    const fx = await startFixture("throws");
    try {
      for (const attempt of [1, 2]) {
        const result = await fx.emulator.invoke({ attempt });
        expect(result.statusCode).toBe(200);
        expect(result.headers["x-amz-function-error"]).toBe("Unhandled");
        const error = JSON.parse(result.body);
        expect(error.errorType).toBe("TypeError");
        expect(error.errorMessage).toBe("handler failed on purpose");
        expect(error.trace[0]).toBe("TypeError: handler failed on purpose");
      }
      // Both ran in one warm process: only the first REPORT has an Init Duration.
      await fx.output.waitForLine(/^REPORT .*\tDuration/);
      const reports = fx.output.lines().filter((l) => l.startsWith("REPORT "));
      expect(reports.filter((l) => l.includes("Init Duration"))).toHaveLength(1);
    } finally {
      await fx.emulator.stop();
    }
  });

  it("answers an error with a long message at once (the runtime also sends it in a header)", async () => {
    const fx = await startFixture("throws", { timeoutSeconds: 5 });
    try {
      const result = await fx.emulator.invoke({ padKb: 300 });
      expect(result.headers["x-amz-function-error"]).toBe("Unhandled");
      const error = JSON.parse(result.body);
      expect(error.errorMessage).toHaveLength("handler failed on purpose".length + 300 * 1024);
    } finally {
      await fx.emulator.stop();
    }
  });
});

describe("when the handler module fails to load", () => {
  it("answers 502 with the init error, and the next invoke retries init in a fresh process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lambda-emulator-test-"));
    const fx = await startFixture("init-fails", {
      environment: { INIT_FAIL_ONCE_MARKER: join(dir, "failed-once") },
    });
    try {
      const failed = await fx.emulator.invoke({ n: 1 });
      expect(failed.statusCode).toBe(502);
      expect(failed.headers["x-amz-function-error"]).toBe("Unhandled");
      expect(JSON.parse(failed.body)).toMatchObject({
        errorType: "Error",
        errorMessage: "init failed on purpose",
      });

      const retried = await fx.emulator.invoke({ n: 2 });
      expect(retried.statusCode).toBe(200);
      expect(JSON.parse(retried.body)).toEqual({ initialized: true, event: { n: 2 } });
      const id = String(retried.headers["x-amzn-requestid"]);
      await fx.output.waitForLine(new RegExp(`^REPORT RequestId: ${id}\\tInit Duration`));
    } finally {
      await fx.emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("when the runtime process exits during an invocation", () => {
  it("answers 502 Runtime.ExitError with the exit status, and the next invoke restarts it", async () => {
    const fx = await startFixture("exits");
    try {
      const crashed = await fx.emulator.invoke({});
      const id = String(crashed.headers["x-amzn-requestid"]);
      expect(crashed.statusCode).toBe(502);
      expect(crashed.headers["x-amz-function-error"]).toBe("Unhandled");
      expect(JSON.parse(crashed.body)).toEqual({
        errorType: "Runtime.ExitError",
        errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status 3`,
      });
      await fx.output.waitForLine(new RegExp(`^REPORT RequestId: ${id}\\t`));

      const next = await fx.emulator.invoke({ stay: true });
      expect(next.statusCode).toBe(200);
      expect(JSON.parse(next.body).stayed).toBe(true);
    } finally {
      await fx.emulator.stop();
    }
  });

  it("says which signal killed it", async () => {
    const fx = await startFixture("slow");
    try {
      const pending = fx.emulator.invoke({ sleepMs: 10_000 });
      const [runtimePid] = await waitFor(
        () => childPids(),
        (pids) => pids.length === 1,
      );
      process.kill(runtimePid ?? 0, "SIGKILL");
      const killed = await pending;
      expect(killed.statusCode).toBe(502);
      expect(JSON.parse(killed.body)).toEqual({
        errorType: "Runtime.ExitError",
        errorMessage: `RequestId: ${killed.headers["x-amzn-requestid"]} Error: Runtime exited with error: signal: SIGKILL`,
      });
    } finally {
      await fx.emulator.stop();
    }
  });

  it("replaces a warm process that died between invocations", async () => {
    const fx = await startFixture("context");
    try {
      const { pid } = JSON.parse((await fx.emulator.invoke({})).body);
      process.kill(pid, "SIGKILL");
      await fx.output.waitForLine(
        new RegExp(
          `^lambda-emulator: runtime process ${pid} exited while idle: .*signal: SIGKILL$`,
        ),
      );
      const after = await fx.emulator.invoke({});
      expect(after.statusCode).toBe(200);
      expect(JSON.parse(after.body).pid).not.toBe(pid);
    } finally {
      await fx.emulator.stop();
    }
  });
});

describe("when the handler runs past the timeout", () => {
  it("answers 200 'Task timed out after N.00 seconds', kills the process and starts a new one", async () => {
    const fx = await startFixture("slow", { timeoutSeconds: 1 });
    try {
      const timedOut = await fx.emulator.invoke({ sleepMs: 5_000 });
      expect(timedOut.statusCode).toBe(200);
      expect(timedOut.body).toBe("Task timed out after 1.00 seconds");
      expect(timedOut.headers["x-amz-function-error"]).toBe("Unhandled");
      const id = String(timedOut.headers["x-amzn-requestid"]);
      await fx.output.waitForLine(new RegExp(`\\t${id}\\tTask timed out after 1.00 seconds$`));

      const next = await fx.emulator.invoke({ sleepMs: 10 });
      expect(next.statusCode).toBe(200);
      expect(next.body).toBe('{"slept":true}');
      // The new process cold-started.
      const nextId = String(next.headers["x-amzn-requestid"]);
      await fx.output.waitForLine(new RegExp(`^REPORT RequestId: ${nextId}\\tInit Duration`));
    } finally {
      await fx.emulator.stop();
    }
  });
});

describe("when the runtime command cannot start", () => {
  it("answers 502 Runtime.InvalidEntrypoint and keeps serving", async () => {
    const fx = await startFixture("ok", { command: ["/nonexistent/runtime", "index.handler"] });
    try {
      for (const _ of [1, 2]) {
        const result = await fx.emulator.invoke({});
        expect(result.statusCode).toBe(502);
        expect(JSON.parse(result.body)).toMatchObject({ errorType: "Runtime.InvalidEntrypoint" });
      }
    } finally {
      await fx.emulator.stop();
    }
  });
});
