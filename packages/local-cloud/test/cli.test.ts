import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { synthFixtureApp } from "@ebsvc/test-fixtures";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { endpointFile } from "../src/cli/state-location.js";
import { jsonLines, runToEnd } from "./finished-process.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(packageDir, "dist", "cli.js");

let fixture: string;
beforeAll(() => {
  fixture = synthFixtureApp();
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

const run = (command: string, args: string[], cwd = packageDir) => runToEnd(command, args, cwd);

describe("pnpm send", () => {
  it("waits for retries and prints the failure record that lands in the DLQ", async () => {
    const { code, stdout } = await run("node", [
      cli,
      "send",
      "--assembly",
      fixture,
      "--time-scale",
      "0.001",
      "--json",
      "--bus",
      "source_bus",
      "--source",
      "steady",
      "--detail-type",
      "T",
      "--detail",
      '{"fail":"bad"}',
    ]);
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines).toHaveLength(2);
    expect(lines[1].queue).toMatch(/steadyDeadLetterQueue/);
    expect(lines[1].message.requestContext).toMatchObject({
      condition: "RetriesExhausted",
      approximateInvokeCount: 3,
    });
    expect(lines[1].attributes).toEqual({});
  });

  it("prints readable blocks without --json", async () => {
    const { code, stdout } = await run("node", [
      cli,
      "send",
      "--assembly",
      fixture,
      "--bus",
      "source_bus",
      "--source",
      "steady",
      "--detail-type",
      "T",
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^source_bus received:\n\{\n {4}"version": "0",/);
    expect(stdout).toContain("output_bus received:");
  });

  it.each([
    [
      ["--source", "a", "--detail-type", "b", "--detail", "not json"],
      /--detail is "not json"; expected: a JSON object/,
    ],
    [
      ["--source", "a", "--detail-type", "b", "--detail", "[1,2]"],
      /--detail is "\[1,2\]"; expected: a JSON object/,
    ],
    [["--detail-type", "b"], /--source is missing/],
    [["--source", "a"], /--detail-type is missing/],
    [["--source", "a", "--detail-type", "b", "--colour", "red"], /Unknown option '--colour'/],
    [
      ["--source", "a", "--detail-type", "b", "--time-scale", "0"],
      /--time-scale is "0"; allowed: a number above 0/,
    ],
    [["--source", "a", "--detail-type", "b", "--time-scale", "fast"], /--time-scale is "fast"/],
    [["--source", "a", "--detail-type", "b", "--wait=-1"], /--wait is "-1"/],
  ])("refuses bad input %j with a one-line reason and exit 2", async (args, message) => {
    const { code, stderr, stdout } = await run("node", [
      cli,
      "send",
      "--assembly",
      fixture,
      ...args,
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses an event for a bus the app does not have, naming it", async () => {
    const { code, stderr } = await run("node", [
      cli,
      "send",
      "--assembly",
      fixture,
      "--bus",
      "sorce_bus",
      "--source",
      "a",
      "--detail-type",
      "b",
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /--bus is "sorce_bus", which the app does not have; its buses: default, source_bus, output_bus/,
    );
  });

  it("refuses an oversized event with AWS's reason", async () => {
    // One argument may hold at most 128 KiB, so the entry's size comes from three of them.
    const detail = JSON.stringify({ blob: "x".repeat(100 * 1024) });
    const resource = `arn:aws:s3:::${"r".repeat(100 * 1024)}`;
    const { code, stderr } = await run("node", [
      cli,
      "send",
      "--assembly",
      fixture,
      "--source",
      "a",
      "--detail-type",
      "b",
      "--detail",
      detail,
      "--resource",
      resource,
      "--resource",
      resource,
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /ValidationException: Total size of the entries in the request is over the limit/,
    );
  });

  it("says so when the assembly does not exist", async () => {
    const { code, stderr } = await run("node", [
      cli,
      "send",
      "--assembly",
      "/nonexistent",
      "--source",
      "a",
      "--detail-type",
      "b",
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/manifest.json does not exist: synthesize the app first/);
  });

  it("refuses a broken manifest in one line naming it, with no stack trace", async () => {
    const broken = join(fixture, "broken-assembly");
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, "manifest.json"), '{"version": "55.0.0", "artifacts": {');
    const { code, stderr } = await run("node", [
      cli,
      "send",
      "--assembly",
      broken,
      "--source",
      "a",
      "--detail-type",
      "b",
    ]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(
      `local-cloud: ${join(broken, "manifest.json")} cannot be read as a cloud assembly (`,
    );
  });
});

describe("pnpm start", () => {
  let child: ChildProcess | undefined;
  // A test that fails midway leaves no environment behind for the next one.
  afterEach(() => {
    child?.kill("SIGKILL");
    child = undefined;
  });

  it("serves PutEvents for the AWS SDK and prints JSON lines as events happen, until SIGTERM", async () => {
    // A state file of its own: the repo's .local-cloud (and its endpoint.json) is the dev's.
    const state = join(fixture, "state", "app.sqlite");
    child = spawn(
      "node",
      [cli, "start", "--assembly", fixture, "--port", "0", "--json", "--state", state],
      { cwd: packageDir },
    );
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      child?.stderr?.on("data", (chunk) => {
        stderr += chunk;
        const found = stderr.match(/endpoint: (http:\/\/127\.0\.0\.1:\d+)/);
        if (found?.[1]) resolve(found[1]);
      });
      child?.on("exit", () => reject(new Error(`exited early: ${stderr}`)));
    });
    const client = new EventBridgeClient({
      endpoint: url,
      region: "eu-west-1",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: "source_bus", Source: "steady", DetailType: "T", Detail: '{"n":1}' },
        ],
      }),
    );
    client.destroy();
    await expect.poll(() => stdout.split("\n").filter(Boolean).length, { timeout: 10_000 }).toBe(2);
    const lines = jsonLines(stdout);
    expect(lines[0]).toMatchObject({
      bus: "source_bus",
      event: { id: answer.Entries?.[0]?.EventId },
    });
    expect(lines[1]).toMatchObject({ bus: "output_bus", event: { source: "lambda" } });
    const exited = new Promise<number | null>((resolve) => child?.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("prints the console's URL; --open says so when the machine has no xdg-open", async () => {
    // A PATH without xdg-open: a server or a container.
    child = spawn(
      process.execPath,
      [cli, "start", "--assembly", fixture, "--port", "0", "--open"],
      {
        cwd: packageDir,
        env: { ...process.env, PATH: dirname(process.execPath) },
      },
    );
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      child?.stderr?.on("data", (chunk) => {
        stderr += chunk;
        const found = stderr.match(/console: (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (found?.[1]) resolve(found[1]);
      });
      child?.on("exit", () => reject(new Error(`exited early: ${stderr}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<meta name="console-token"');
    await expect
      .poll(() => stderr, { timeout: 10_000 })
      .toContain(`--open: no xdg-open on this machine; open ${url} yourself`);
    const exited = new Promise<number | null>((resolve) => child?.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("refuses a port in use, naming it", async () => {
    const { createServer } = await import("node:net");
    const server = createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const port = (server.address() as { port: number }).port;
    const { code, stderr } = await run("node", [
      cli,
      "start",
      "--assembly",
      fixture,
      "--port",
      String(port),
      "--state",
      join(fixture, "in-use", "app.sqlite"),
    ]);
    server.close();
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`));
  });

  it.each(["192.0.2.1", "no-such-host.invalid"])(
    "refuses --host %s, an address this machine lacks, in one line",
    async (host) => {
      const { code, stderr } = await run("node", [
        cli,
        "start",
        "--assembly",
        fixture,
        "--host",
        host,
        "--port",
        "0",
      ]);
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(
        `local-cloud: --host is "${host}", an address this machine does not have; expected: one of its own addresses, e.g. 127.0.0.1`,
      );
    },
  );

  it("refuses a state file of a newer schema with one line naming it, and starts nothing", async () => {
    const state = join(fixture, "newer", "app.sqlite");
    mkdirSync(dirname(state), { recursive: true });
    const raw = new DatabaseSync(state);
    raw.exec("PRAGMA user_version = 99");
    raw.close();
    const { code, stderr } = await run("node", [
      cli,
      "start",
      "--assembly",
      fixture,
      "--port",
      "0",
      "--state",
      state,
    ]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n").at(-1)).toBe(
      `local-cloud: state file ${state} has schema version 99, newer than this local-cloud's 1; use a newer local-cloud, or --fresh / --state <another file>`,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a state file another live local-cloud serves", async () => {
    const state = join(fixture, "taken", "app.sqlite");
    mkdirSync(dirname(state), { recursive: true });
    // This test's own process stands for the other environment: it is alive.
    writeFileSync(
      endpointFile(state),
      JSON.stringify({ url: "http://127.0.0.1:1", pid: process.pid }),
    );
    const { code, stderr } = await run("node", [
      cli,
      "start",
      "--assembly",
      fixture,
      "--port",
      "0",
      "--state",
      state,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `state file ${state} is in use by another local-cloud (pid ${process.pid}`,
    );
  });

  it.each([
    [["--port", "70000"], /--port is "70000"; allowed: a whole number from 0 to 65535/],
    [["--port", "abc"], /--port is "abc"/],
    [["--concurrency", "0"], /--concurrency is "0"; allowed: a whole number from 1 to 64/],
    [["extra"], /Unexpected argument 'extra'/],
    [["--grace", "forever"], /--grace is "forever"; allowed: a number of seconds from 0 to 3600/],
    [["--log-retention", "soon"], /--log-retention is "soon"; allowed: a duration/],
  ])("refuses bad flags %j with exit 2", async (args, message) => {
    const { code, stderr } = await run("node", [
      cli,
      "start",
      "--assembly",
      fixture,
      "--state",
      join(fixture, "bad-flags", "app.sqlite"),
      ...args,
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
