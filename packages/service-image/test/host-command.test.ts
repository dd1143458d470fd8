import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { toHostCommand } from "../src/host-command.js";

const service = resolve(import.meta.dirname, "fixtures", "echo-service");
const image = {
  command: ["node", "/opt/runtime/node_modules/aws-lambda-ric/index.mjs", "index.handler"],
  handler: "index.handler",
  workdir: "/var/task",
};

describe("toHostCommand", () => {
  it("runs this Node, the service's own aws-lambda-ric and its bundle", () => {
    const host = toHostCommand(image, service);
    expect(host.command[0]).toBe(process.execPath);
    expect(realpathSync(host.command[1] as string)).toMatch(/aws-lambda-ric\/index\.mjs$/);
    expect(host.command[2]).toBe("index.handler");
    expect(host.handler).toBe("index.handler");
    expect(host.taskRoot).toBe(join(service, "dist"));
  });

  it("says which package to add when the image's module is not installed", () => {
    const other = {
      ...image,
      command: ["node", "/opt/node_modules/@acme/runtime/index.mjs", "h.handler"],
    };
    expect(() => toHostCommand(other, service)).toThrow(
      /the image runs \/opt\/node_modules\/@acme\/runtime\/index\.mjs, but @acme\/runtime\/index\.mjs is not installed for the service: add @acme\/runtime to its dependencies/,
    );
  });

  it("refuses an absolute path that has no counterpart on the host", () => {
    const other = { ...image, command: ["node", "/opt/aws-lambda-ric/index.mjs", "index.handler"] };
    expect(() => toHostCommand(other, service)).toThrow(
      /the image runs \/opt\/aws-lambda-ric\/index\.mjs, which has no counterpart on the host/,
    );
  });

  it("asks for a bundle when dist/ is missing", () => {
    const empty = mkdtempSync(join(tmpdir(), "no-bundle-"));
    mkdirSync(join(empty, "node_modules"));
    writeFileSync(join(empty, "package.json"), "{}");
    expect(() =>
      toHostCommand({ ...image, command: ["node", "x.mjs", "index.handler"] }, empty),
    ).toThrow(/dist does not exist: bundle the service first \(pnpm run bundle\)/);
  });
});
