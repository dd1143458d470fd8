import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { synthFixtureApp } from "@ebsvc/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStartArgs } from "../../src/cli/cli-args.js";

const packageDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const cli = join(packageDir, "dist", "cli.js");

let fixture: string;
beforeAll(() => {
  fixture = synthFixtureApp();
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: packageDir });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.resume();
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

describe("start's --inspect and --no-watch", () => {
  it("takes a service, with Node's default port unless one is given", () => {
    expect(parseStartArgs(["--inspect", "backtosource"])?.inspect).toEqual({
      serviceId: "backtosource",
      port: 9229,
    });
    expect(parseStartArgs(["--", "--inspect", "toanother=9230"])?.inspect).toEqual({
      serviceId: "toanother",
      port: 9230,
    });
    expect(parseStartArgs([])?.watch).toBe(true);
    expect(parseStartArgs(["--no-watch"])?.watch).toBe(false);
  });

  it.each([
    [
      ["--inspect", "Back"],
      /^local-cloud: --inspect is "Back"; allowed: a service id, optionally =port/,
    ],
    [["--inspect", "backtosource=70000"], /^local-cloud: --inspect is "backtosource=70000"/],
    [
      ["--inspect", "orders-=9230"],
      /^local-cloud: --inspect is "orders-=9230"; allowed: a service id/,
    ],
    [["--inspect"], /^local-cloud: Option '--inspect <value>' argument missing/],
  ])("refuses %j with one line and exit 2", async (args, message) => {
    const { code, stderr } = await run(["start", "--assembly", fixture, ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("refuses a service the app does not have, naming those it has", async () => {
    const { code, stderr } = await run([
      "start",
      "--assembly",
      fixture,
      "--port",
      "0",
      "--inspect",
      "nope",
    ]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n").at(-1)).toBe(
      'local-cloud: --inspect names "nope", which the app does not have; its services: steady, once, stale',
    );
  }, 30_000);

  it("refuses a send --endpoint that is not a URL", async () => {
    const { code, stderr } = await run([
      "send",
      "--source",
      "a",
      "--detail-type",
      "b",
      "--endpoint",
      "localhost:4010",
    ]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'local-cloud: --endpoint is "localhost:4010"; allowed: the URL pnpm start prints, e.g. http://127.0.0.1:4010',
    );
  });
});
