import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  childPids,
  fixtureDir,
  isAlive,
  PACKAGE_DIR,
  portIsFree,
  RIC_ENTRY,
  waitFor,
} from "./helpers.js";

const CLI = join(PACKAGE_DIR, "dist", "cli.js");

/** Runs the CLI to completion (for the cases that must not start anything). */
function runCli(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 10_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI and resolves once it says where it listens. */
async function startCli(
  args: string[],
): Promise<{ cli: ChildProcess; url: string; output: () => string }> {
  const cli = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  cli.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  cli.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const line = await waitFor(
    () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output),
    (match) => match !== null || cli.exitCode !== null,
  );
  if (!line?.[1]) throw new Error(`the CLI did not start:\n${output}`);
  return { cli, url: line[1], output: () => output };
}

function exited(
  cli: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (cli.exitCode !== null || cli.signalCode !== null) {
    return Promise.resolve({ code: cli.exitCode, signal: cli.signalCode });
  }
  return new Promise((resolve) => cli.once("exit", (code, signal) => resolve({ code, signal })));
}

// The CLI is tested as it ships: the compiled dist/cli.js, which turbo builds before tests.
// Rebuilding here would rewrite dist/ under other packages' tests that import it.
beforeAll(() => {
  expect(existsSync(join(PACKAGE_DIR, "dist", "cli.js")), "build first: pnpm build").toBe(true);
});

describe("the lambda-emulator CLI", () => {
  it("refuses a bad option with one line naming it and what is allowed, exit 2", () => {
    const badPort = runCli(["--port", "eighty", "--", "node", RIC_ENTRY, "index.handler"]);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toBe(
      'lambda-emulator: option --port is "eighty"; allowed: an integer from 0 to 65535\n',
    );

    const unknown = runCli(["--colour", "blue", "--", "node"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(
      /^lambda-emulator: unknown option --colour; allowed: --port, .*\n$/,
    );

    const noCommand = runCli(["--port", "0"]);
    expect(noCommand.status).toBe(2);
    expect(noCommand.stderr).toMatch(/^lambda-emulator: missing the runtime command.*\n$/);

    for (const result of [badPort, unknown, noCommand]) {
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe("");
    }
  });

  it("prints usage for --help", () => {
    const help = runCli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: lambda-emulator \[options\] -- <runtime command\.\.\.>/);
  });

  it("serves invocations, then stops cleanly on SIGTERM", async () => {
    const { cli, url, output } = await startCli([
      "--port=0",
      "--timeout",
      "5",
      "--function-name",
      "cli_fn",
      "--task-root",
      fixtureDir("context"),
      "--",
      process.execPath,
      RIC_ENTRY,
      "index.handler",
    ]);
    const port = Number(new URL(url).port);
    try {
      expect(output()).toContain(`curl -d '{}' ${url}/2015-03-31/functions/function/invocations`);
      const res = await fetch(`${url}/2015-03-31/functions/function/invocations`, {
        method: "POST",
        body: '{"via":"cli"}',
      });
      expect(res.status).toBe(200);
      const seen = (await res.json()) as {
        event: unknown;
        functionName: string;
        env: Record<string, string>;
        pid: number;
        awsRequestId: string;
      };
      expect(seen.event).toEqual({ via: "cli" });
      expect(seen.functionName).toBe("cli_fn");
      expect(seen.env.AWS_LAMBDA_FUNCTION_TIMEOUT).toBe("5");
      expect(isAlive(seen.pid)).toBe(true);
      await waitFor(output, (text) => text.includes(`REPORT RequestId: ${seen.awsRequestId}`));

      cli.kill("SIGTERM");
      expect(await exited(cli)).toEqual({ code: 0, signal: null });
      expect(isAlive(seen.pid)).toBe(false);
      expect(await portIsFree(port)).toBe(true);
    } finally {
      cli.kill("SIGKILL");
    }
  });

  it("stops cleanly on SIGINT while an invocation is running", async () => {
    const { cli, url } = await startCli([
      "--port",
      "0",
      "--task-root",
      fixtureDir("slow"),
      process.execPath,
      RIC_ENTRY,
      "index.handler",
    ]);
    try {
      const pending = fetch(`${url}/2015-03-31/functions/function/invocations`, {
        method: "POST",
        body: '{"sleepMs":10000}',
      }).catch((error: unknown) => error);
      const [runtimePid = 0] = await waitFor(
        () => childPids(cli.pid),
        (pids) => pids.length === 1,
      );
      cli.kill("SIGINT");
      expect(await exited(cli)).toEqual({ code: 0, signal: null });
      expect(isAlive(runtimePid)).toBe(false);
      await pending;
    } finally {
      cli.kill("SIGKILL");
    }
  });
});
