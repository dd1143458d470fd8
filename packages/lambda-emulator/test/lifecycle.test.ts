import { describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import {
  CapturedOutput,
  childPids,
  fixtureDir,
  isAlive,
  portIsFree,
  ricCommand,
  startFixture,
} from "./helpers.js";

describe("stop()", () => {
  it("leaves no runtime process behind and frees the port", async () => {
    const fx = await startFixture("context", { concurrency: 3 });
    const { port } = fx.emulator;
    expect(await portIsFree(port)).toBe(false);
    const results = await Promise.all([1, 2, 3].map(() => fx.emulator.invoke({})));
    const pids = results.map((r) => JSON.parse(r.body).pid as number);
    expect(pids.every(isAlive)).toBe(true);

    await fx.emulator.stop();

    expect(pids.filter(isAlive)).toEqual([]);
    expect(childPids()).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
    // Stopping twice is harmless.
    await fx.emulator.stop();
  });

  it("ends invocations still running or waiting, and kills their processes", async () => {
    const fx = await startFixture("slow", { concurrency: 1 });
    const running = fx.emulator.invoke({ sleepMs: 10_000 });
    const waiting = fx.emulator.invoke({ sleepMs: 10_000 });
    await fx.output.waitForLine(/^START RequestId: /);

    await fx.emulator.stop();

    // Each caller gets an answer or a closed connection, never a hang.
    for (const outcome of await Promise.allSettled([running, waiting])) {
      if (outcome.status === "fulfilled") expect(outcome.value.statusCode).toBe(503);
    }
    expect(childPids()).toEqual([]);
  });

  it("rejects invalid options with a message naming the option", async () => {
    const base = {
      command: ricCommand(),
      taskRoot: fixtureDir("ok"),
      output: new CapturedOutput(),
    };
    await expect(startEmulator({ ...base, concurrency: 0 })).rejects.toThrow(
      /option concurrency is 0; allowed: an integer from 1 to 1000/,
    );
    await expect(startEmulator({ ...base, taskRoot: "/no/such/dir" })).rejects.toThrow(
      /option taskRoot .*an existing directory/,
    );
    await expect(startEmulator({ ...base, command: [] })).rejects.toThrow(/option command/);
  });

  it("reports a port already in use", async () => {
    const fx = await startFixture("ok");
    try {
      await expect(
        startEmulator({
          command: ricCommand(),
          taskRoot: fixtureDir("ok"),
          port: fx.emulator.port,
        }),
      ).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
    } finally {
      await fx.emulator.stop();
    }
  });
});
