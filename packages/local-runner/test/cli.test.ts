import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support.js";

// The two commands as users run them (through runlocally.sh / calllocally.sh), on a fixture
// service whose bundle echoes its event, with no Docker engine reachable.
const dist = resolve(import.meta.dirname, "..", "dist");
const service = resolve(import.meta.dirname, "fixtures", "echo-service");
const noDocker = { ...process.env, DOCKER_HOST: "unix:///nonexistent/docker.sock" };

// The commands as they ship: dist/, which turbo builds before tests.
beforeAll(() => {
  expect(existsSync(`${dist}/run-cli.js`), "build first: pnpm build").toBe(true);
});

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
});

/** Starts run-local and resolves with its output once it says it listens. */
function startRunLocal(args: string[]): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [`${dist}/run-cli.js`, service, ...args], {
    env: noDocker,
  });
  started.push(child);
  let output = "";
  return new Promise((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Stop it with Ctrl-C.")) done({ child, output: () => output });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => fail(new Error(`run-local exited ${code}: ${output}`)));
  });
}

function call(port: number, ...args: string[]) {
  return spawnSync(
    process.execPath,
    [`${dist}/call-cli.js`, "--service", service, "--port", String(port), ...args],
    {
      encoding: "utf8",
    },
  );
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => child.on("exit", (code) => done(code)));
}

describe("run-local and call-local", () => {
  it("falls back to the host without Docker, says why, and serves the service", async () => {
    const port = await freePort();
    const { child, output } = await startRunLocal(["--port", String(port)]);
    expect(output()).toMatch(
      /echo-service: running on the host behind lambda-emulator, since no Docker engine answers/,
    );
    expect(output()).toContain(
      `listening on http://localhost:${port}/2015-03-31/functions/function/invocations`,
    );
    expect(output()).toContain("pnpm --filter echo-service run call");

    const answer = call(port);
    expect(answer.status).toBe(0);
    expect(answer.stdout).toBe('{"echoed":{"message":"Hello World"}}\n');
    expect(call(port, '{"n": 2}').stdout).toBe('{"echoed":{"n":2}}\n');
    await new Promise((done) => setTimeout(done, 200));
    expect(output()).toContain('echo-service got {"message":"Hello World"}');
    expect(output()).toMatch(/Memory Size: 256 MB/);

    const exited = exitOf(child);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const after = call(port);
    expect(after.status).toBe(2);
    expect(after.stderr).toContain(`nothing is listening on localhost:${port}`);
  });

  it("applies the service's own timeout, or --timeout", async () => {
    const port = await freePort();
    const { child } = await startRunLocal(["--port", String(port), "--timeout", "1"]);
    const answer = call(port, '{"sleepMs": 3000}');
    expect(answer.stdout).toBe("Task timed out after 1.00 seconds\n");
    expect(answer.status).toBe(1);
    expect(call(port).stdout).toBe('{"echoed":{"message":"Hello World"}}\n');
    child.kill("SIGINT");
    expect(await exitOf(child)).toBe(0);
  });

  it("stops everything when the process that started it dies (pnpm does not pass SIGTERM on)", async () => {
    const port = await freePort();
    const script = `node ${dist}/run-cli.js ${service} --port ${port}; echo done`;
    const parent = spawn("bash", ["-c", script], { env: noDocker });
    started.push(parent);
    let output = "";
    await new Promise<void>((done) => {
      parent.stdout?.on("data", (chunk: Buffer) => {
        output += chunk;
        if (output.includes("Stop it with Ctrl-C.")) done();
      });
    });
    expect(call(port).status).toBe(0);
    parent.kill("SIGKILL");
    let answer = call(port);
    for (let tries = 0; tries < 30 && answer.status === 0; tries++) {
      await new Promise((done) => setTimeout(done, 200));
      answer = call(port);
    }
    expect(answer.status).toBe(2);
    expect(answer.stderr).toContain(`nothing is listening on localhost:${port}`);
  });

  it("stops with a clear message when the port is taken", async () => {
    const port = await freePort();
    const { child } = await startRunLocal(["--port", String(port)]);
    const second = spawnSync(
      process.execPath,
      [`${dist}/run-cli.js`, service, "--port", String(port)],
      {
        env: noDocker,
        encoding: "utf8",
      },
    );
    expect(second.status).toBe(2);
    expect(second.stderr.trim()).toBe(
      "run-local: the port is already in use: stop what listens there, or pass --port N",
    );
    child.kill("SIGTERM");
    await exitOf(child);
  });

  it.each([
    [["--port", "99999"], 'run-local: --port is "99999"; allowed: an integer from 1 to 65535'],
    [["--port", "1e3"], 'run-local: --port is "1e3"; allowed: an integer from 1 to 65535'],
    [["--port"], "run-local: Option '--port <value>' argument missing"],
    [["--timeout", "0"], 'run-local: --timeout is "0"; allowed: an integer from 1 to 900'],
    [["--timeout", "901"], 'run-local: --timeout is "901"; allowed: an integer from 1 to 900'],
    [
      ["--concurrency", "four"],
      'run-local: --concurrency is "four"; allowed: an integer from 1 to 1000',
    ],
    [["--mode", "cloud"], 'run-local: --mode is "cloud"; allowed: auto, docker, host'],
    [
      ["--base-image", ""],
      'run-local: --base-image is ""; expected: an image reference such as node:24-bookworm-slim',
    ],
    [
      ["--base-image", "node 22"],
      'run-local: --base-image is "node 22"; expected: an image reference such as node:24-bookworm-slim',
    ],
    [["--colour"], "run-local: Unknown option '--colour'"],
    [["other-folder"], "run-local: one service folder at most; got "],
    [["--mode", "docker"], "run-local: cannot run in Docker: no Docker engine answers"],
  ])("refuses %s with one line and exit 2", (args, message) => {
    const result = spawnSync(process.execPath, [`${dist}/run-cli.js`, service, ...args], {
      env: noDocker,
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it.each([
    [["--port", "0x50"], {}, 'call-local: --port is "0x50"; allowed: an integer from 1 to 65535'],
    [["--port", " 80"], {}, 'call-local: --port is " 80"; allowed: an integer from 1 to 65535'],
    [["--port", "70000"], {}, 'call-local: --port is "70000"; allowed: an integer from 1 to 65535'],
    [[], { PORT: "nine" }, 'call-local: $PORT is "nine"; allowed: an integer from 1 to 65535'],
    [
      ["--service", "/nonexistent/orders"],
      {},
      "call-local: /nonexistent/orders: not a service folder",
    ],
    [["{}", "{}"], {}, "call-local: one body at most; got 2 arguments"],
    [["hello"], {}, 'call-local: "hello" is neither a file nor valid JSON'],
    [["--verbose"], {}, "call-local: Unknown option '--verbose'"],
  ])("call-local refuses %s %o with one line and exit 2", (args, env, message) => {
    const result = spawnSync(process.execPath, [`${dist}/call-cli.js`, ...args], {
      cwd: service,
      env: { ...noDocker, PORT: "", ...env },
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  it("refuses a folder that is not a service", () => {
    const result = spawnSync(process.execPath, [`${dist}/run-cli.js`, dist], {
      env: noDocker,
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `${dist}: not a service folder (it needs a package.json and a Dockerfile)`,
    );
  });
});
