import { describe, expect, it } from "vitest";
import { parseCliArgs, UsageError } from "../src/cli-args.js";
import { fixtureDir } from "./helpers.js";

describe("parseCliArgs", () => {
  const cwd = fixtureDir("ok");

  it("reads every option, in both --name value and --name=value forms", () => {
    expect(
      parseCliArgs(
        [
          "--port",
          "8080",
          "--host=0.0.0.0",
          "--timeout",
          "2.5",
          "--concurrency=8",
          "--memory",
          "512",
          "--function-name",
          "orders",
          "--handler",
          "app.main",
          "--task-root",
          "../sleepy",
          "--",
          "node",
          "ric.mjs",
          "--port",
        ],
        cwd,
      ),
    ).toEqual({
      port: 8080,
      host: "0.0.0.0",
      timeoutSeconds: 2.5,
      concurrency: 8,
      memorySizeMb: 512,
      functionName: "orders",
      handler: "app.main",
      taskRoot: fixtureDir("sleepy"),
      // Everything after -- belongs to the command, even if it looks like an option.
      command: ["node", "ric.mjs", "--port"],
    });
  });

  it("defaults the task root to the working directory and accepts a command without --", () => {
    expect(parseCliArgs(["node", "ric.mjs", "index.handler"], cwd)).toEqual({
      command: ["node", "ric.mjs", "index.handler"],
      taskRoot: cwd,
    });
  });

  it("returns help for -h and --help", () => {
    expect(parseCliArgs(["-h"], cwd)).toBe("help");
    expect(parseCliArgs(["--port", "1", "--help"], cwd)).toBe("help");
  });

  it.each([
    [
      ["--port", "70000", "--", "x"],
      'option --port is "70000"; allowed: an integer from 0 to 65535',
    ],
    [["--port", "-1", "--", "x"], 'option --port is "-1"; allowed: an integer from 0 to 65535'],
    [
      ["--timeout", "0", "--", "x"],
      'option --timeout is "0"; allowed: a number of seconds greater than 0 and at most 900',
    ],
    [
      ["--concurrency", "1.5", "--", "x"],
      'option --concurrency is "1.5"; allowed: an integer from 1 to 1000',
    ],
    [
      ["--memory", "64", "--", "x"],
      'option --memory is "64"; allowed: an integer from 128 to 10240',
    ],
    [
      ["--function-name", "no spaces", "--", "x"],
      'option --function-name is "no spaces"; allowed: 1 to 64 letters, digits, hyphens or underscores',
    ],
    [
      ["--task-root", "missing-dir", "--", "x"],
      /option --task-root is ".*missing-dir"; allowed: an existing directory/,
    ],
    [["--port"], "option --port needs a value: an integer from 0 to 65535"],
    [["--verbose", "--", "x"], /^unknown option --verbose; allowed: --port, --host, /],
    [["--port", "1"], /^missing the runtime command/],
    [["--"], /^missing the runtime command/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCliArgs(argv, cwd)).toThrow(UsageError);
    expect(() => parseCliArgs(argv, cwd)).toThrow(message);
  });
});
