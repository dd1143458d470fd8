import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import { CapturedOutput, childPids, ricCommand, waitFor } from "./helpers.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A task root whose handler answers its version after the event's `sleepMs`. */
function writeHandler(dir: string, version: number): void {
  writeFileSync(
    join(dir, "index.mjs"),
    `export const handler = async (event) => {
      await new Promise((resolve) => setTimeout(resolve, event.sleepMs ?? 0));
      return { version: ${version}, tag: event.tag };
    };\n`,
  );
}

describe("reload()", () => {
  it("lets running invocations finish on the old code, and runs waiting and new ones on the new", async () => {
    const taskRoot = mkdtempSync(join(tmpdir(), "emulator-reload-"));
    dirs.push(taskRoot);
    writeHandler(taskRoot, 1);
    const output = new CapturedOutput();
    const emulator = await startEmulator({
      command: ricCommand(),
      taskRoot,
      port: 0,
      concurrency: 2,
      output,
    });
    try {
      // Two processes warm on version 1 (a process loads the handler when it starts).
      const warm = await Promise.all(
        ["w1", "w2"].map((tag) => emulator.invoke({ tag, sleepMs: 100 })),
      );
      expect(warm.map((r) => JSON.parse(r.body).version)).toEqual([1, 1]);
      // Two run (slowly) on them; the third waits for a free process.
      const running = ["a", "b"].map((tag) => emulator.invoke({ tag, sleepMs: 400 }));
      await waitFor(
        () => output.lines().filter((line) => line.startsWith("START ")).length,
        (n) => n >= 4,
      );
      const waiting = emulator.invoke({ tag: "c" });

      writeHandler(taskRoot, 2);
      emulator.reload();
      const after = emulator.invoke({ tag: "d" });

      const bodies = (await Promise.all([...running, waiting, after])).map((r) =>
        JSON.parse(r.body),
      );
      expect(bodies).toEqual([
        { version: 1, tag: "a" },
        { version: 1, tag: "b" },
        { version: 2, tag: "c" },
        { version: 2, tag: "d" },
      ]);
      // The version-1 processes are gone: at most the two new ones remain.
      await waitFor(
        () => childPids().length,
        (n) => n <= 2,
      );
      expect(JSON.parse((await emulator.invoke({ tag: "e" })).body).version).toBe(2);
    } finally {
      await emulator.stop();
    }
  });

  it("keeps serving when nothing was running", async () => {
    const taskRoot = mkdtempSync(join(tmpdir(), "emulator-reload-"));
    dirs.push(taskRoot);
    writeHandler(taskRoot, 1);
    const emulator = await startEmulator({
      command: ricCommand(),
      taskRoot,
      port: 0,
      output: new CapturedOutput(),
    });
    try {
      emulator.reload();
      expect(JSON.parse((await emulator.invoke({ tag: "x" })).body).version).toBe(1);
      writeHandler(taskRoot, 2);
      emulator.reload();
      emulator.reload();
      expect(JSON.parse((await emulator.invoke({ tag: "y" })).body).version).toBe(2);
    } finally {
      await emulator.stop();
    }
  });
});
