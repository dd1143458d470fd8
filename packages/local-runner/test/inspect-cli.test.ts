import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./support.js";

// run-local --inspect as users run it, on the fixture service, with no Docker engine reachable.
const dist = resolve(import.meta.dirname, "..", "dist");
const service = resolve(import.meta.dirname, "fixtures", "echo-service");
const noDocker = { ...process.env, DOCKER_HOST: "unix:///nonexistent/docker.sock" };

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
});

function runLocal(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [`${dist}/run-cli.js`, service, ...args], {
    env: noDocker,
  });
  started.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function until(output: () => string, text: RegExp): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!text.test(output())) {
    if (Date.now() > deadline) throw new Error(`no ${text} in:\n${output()}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

describe("run-local --inspect", () => {
  it("runs the runtime on the host under the inspector before any call, and says the timeout is suspended", async () => {
    const [port, inspectPort] = [await freePort(), await freePort()];
    // As `pnpm --filter <id> run local -- --inspect=…` passes it: with pnpm's literal --.
    const { output } = runLocal(["--", "--port", String(port), `--inspect=${inspectPort}`]);
    await until(output, /Stop it with Ctrl-C\./);
    expect(output()).toContain("running on the host behind lambda-emulator, since --inspect");
    expect(output()).toContain(
      `debugger: attach to 127.0.0.1:${inspectPort} (VS Code: "Attach to a service runtime"); one runtime process, timeout suspended while --inspect`,
    );
    await until(output, new RegExp(`Debugger listening on ws://127\\.0\\.0\\.1:${inspectPort}/`));
    const targets = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
    expect(targets).toHaveLength(1);
    const answer = await fetch(
      `http://127.0.0.1:${port}/2015-03-31/functions/function/invocations`,
      {
        method: "POST",
        body: '{"hello":"inspector"}',
      },
    );
    expect(await answer.json()).toEqual({ echoed: { hello: "inspector" } });
  }, 30_000);

  it("refuses --mode docker with --inspect, in one line", async () => {
    const { child, output } = runLocal(["--inspect", "--mode", "docker"]);
    const code = await new Promise((done) => child.on("exit", done));
    expect(code).toBe(2);
    expect(output().trim()).toBe(
      "run-local: --inspect debugs the runtime on the host; drop --mode docker",
    );
  }, 30_000);

  it("refuses a port that is not one", async () => {
    const { child, output } = runLocal(["--inspect=nine"]);
    const code = await new Promise((done) => child.on("exit", done));
    expect(code).toBe(2);
    expect(output().trim()).toBe(
      'run-local: --inspect is "nine"; allowed: an integer from 1 to 65535',
    );
  }, 30_000);
});
