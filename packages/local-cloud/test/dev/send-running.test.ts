import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { synthFixtureApp } from "@ebsvc/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultStateFile, endpointFile } from "../../src/cli/state-location.js";

// pnpm start and pnpm send as users run them (the built CLI), on the fixture app.
const packageDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const cli = join(packageDir, "dist", "cli.js");

let fixture: string;
let start: ChildProcess;
let url: string;
let startOutput = "";

beforeAll(async () => {
  fixture = synthFixtureApp();
  start = spawn(
    process.execPath,
    [cli, "start", "--assembly", fixture, "--port", "0", "--json", "--time-scale", "0.001"],
    { cwd: packageDir },
  );
  start.stdout?.on("data", (chunk) => (startOutput += chunk));
  url = await new Promise<string>((resolve, reject) => {
    let stderr = "";
    start.stderr?.on("data", (chunk) => {
      stderr += chunk;
      const found = stderr.match(/endpoint: (http:\/\/127\.0\.0\.1:\d+)/);
      if (found?.[1] && stderr.includes("Ctrl-C stops.")) resolve(found[1]);
    });
    start.on("exit", () => reject(new Error(`pnpm start exited early: ${stderr}`)));
  });
}, 60_000);

afterAll(async () => {
  if (start.exitCode === null) {
    const exited = new Promise((resolve) => start.once("exit", resolve));
    start.kill("SIGTERM");
    await exited;
  }
  rmSync(fixture, { recursive: true, force: true });
});

function send(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, "send", ...args], { cwd: packageDir });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

const event = (detail: object) => [
  "--bus",
  "source_bus",
  "--source",
  "steady",
  "--detail-type",
  "Test",
  "--detail",
  JSON.stringify(detail),
  "--json",
];

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe("pnpm send with pnpm start running", () => {
  it("records the endpoint in .local-cloud/<app>.endpoint.json while it runs", () => {
    const record = JSON.parse(readFileSync(endpointFile(defaultStateFile(fixture)), "utf8"));
    expect(record).toEqual({ url, pid: start.pid });
  });

  it("sends to the running environment (--endpoint) and prints what its event caused", async () => {
    const { code, stdout, stderr } = await send([...event({ n: 1 }), "--endpoint", url]);
    expect(stderr).toContain(`note: sent to the running environment at ${url} (pid ${start.pid})`);
    expect(code).toBe(0);
    const caused = lines(stdout);
    expect(caused.map((line) => [line.bus, line.event.source])).toEqual([
      ["source_bus", "steady"],
      ["output_bus", "lambda"],
    ]);
    expect(caused[1].event.detail.requestPayload).toEqual(caused[0].event);
    expect(caused[1].event.detail.responsePayload).toEqual({
      handled: caused[0].event.id,
      detail: { n: 1 },
    });
    // The running environment saw (and printed) the same events.
    expect(startOutput).toContain(caused[0].event.id);
  }, 30_000);

  it("finds the running environment of the same assembly by itself, and follows retries to the DLQ", async () => {
    const { code, stdout, stderr } = await send([
      ...event({ failUntil: 2 }),
      "--assembly",
      fixture,
    ]);
    expect(stderr).toContain(`sent to the running environment at ${url}`);
    expect(code).toBe(0);
    // Failed once, retried (1 minute at time scale 0.001), then succeeded.
    const caused = lines(stdout);
    expect(caused.map((line) => [line.bus, line.event.source])).toEqual([
      ["source_bus", "steady"],
      ["output_bus", "lambda"],
    ]);
    expect(caused[1].event.detail.requestContext.approximateInvokeCount).toBe(2);
  }, 30_000);

  it("prints only its own event's chain while other events flow", async () => {
    const [mine, other] = await Promise.all([
      send([...event({ sleepMs: 50, mine: true }), "--endpoint", url]),
      send([...event({ sleepMs: 50, mine: false }), "--endpoint", url]),
    ]);
    for (const [result, flag] of [
      [mine, true],
      [other, false],
    ] as const) {
      expect(result.code).toBe(0);
      const caused = lines(result.stdout);
      expect(caused).toHaveLength(2);
      expect(
        caused.map(
          (line) => line.event.detail.mine ?? line.event.detail.requestPayload.detail.mine,
        ),
      ).toEqual([flag, flag]);
    }
  }, 30_000);

  it("refuses, as PutEvents does, an event the running environment refuses", async () => {
    // Three arguments of 100 KB (one argument may not pass 128 KB): an entry over 256 KB.
    const big = "x".repeat(100 * 1024);
    const { code, stderr } = await send([
      ...event({ big }),
      "--resource",
      `arn:aws:s3:::${big}`,
      "--resource",
      `arn:aws:s3:::${big}`,
      "--endpoint",
      url,
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^local-cloud: ValidationException: Total size of the entries in the request is over the limit/m,
    );
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
  }, 30_000);

  it("refuses a bus the running app does not have, naming its buses", async () => {
    const { code, stderr } = await send([
      ...event({}).map((arg) => (arg === "source_bus" ? "nope" : arg)),
      "--endpoint",
      url,
    ]);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(
      /^local-cloud: --bus is "nope", which the app does not have; its buses: .*source_bus/,
    );
  }, 30_000);

  it("says so in one line when nothing answers at --endpoint", async () => {
    const { code, stderr } = await send([...event({}), "--endpoint", "http://127.0.0.1:9"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      "local-cloud: nothing answers at http://127.0.0.1:9/_local/info: is pnpm start running there? (drop --endpoint to start an environment for this event)",
    );
  }, 30_000);
});

describe("pnpm start stopping", () => {
  it("removes .local-cloud/<app>.endpoint.json", async () => {
    const exited = new Promise((resolve) => start.once("exit", resolve));
    start.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(
      existsSync(endpointFile(defaultStateFile(fixture))) &&
        readFileSync(endpointFile(defaultStateFile(fixture)), "utf8").includes(String(start.pid)),
    ).toBe(false);
  }, 30_000);
});
