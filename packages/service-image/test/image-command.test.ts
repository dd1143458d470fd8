import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readImageCommand } from "../src/image-command.js";
import { ImageCommandError } from "../src/image-error.js";

const fixture = resolve(import.meta.dirname, "fixtures", "echo-service", "Dockerfile");

function dockerfile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "dockerfile-")), "Dockerfile");
  writeFileSync(path, content);
  return path;
}

describe("readImageCommand", () => {
  it("takes ENTRYPOINT, CMD and WORKDIR of the final stage", () => {
    expect(readImageCommand(fixture)).toEqual({
      command: ["node", "/opt/runtime/node_modules/aws-lambda-ric/index.mjs", "index.handler"],
      handler: "index.handler",
      workdir: "/var/task",
    });
  });

  it("reads the example services' Dockerfile the same way", () => {
    const example = resolve(
      import.meta.dirname,
      "..",
      "..",
      "..",
      "services",
      "backtosource",
      "Dockerfile",
    );
    expect(readImageCommand(example).command).toEqual([
      "node",
      "/opt/runtime/node_modules/aws-lambda-ric/index.mjs",
      "index.handler",
    ]);
  });

  it("joins lines continued with a backslash and defaults WORKDIR to /", () => {
    const path = dockerfile(
      'FROM node\nENTRYPOINT ["node", \\\n  "/opt/x/node_modules/ric/index.mjs"]\nCMD ["app.handler"]\n',
    );
    expect(readImageCommand(path)).toEqual({
      command: ["node", "/opt/x/node_modules/ric/index.mjs", "app.handler"],
      handler: "app.handler",
      workdir: "/",
    });
  });

  it("rejects the shell form, naming the file, the line and the form it needs", () => {
    const path = dockerfile('FROM node\n\nENTRYPOINT node /opt/ric.mjs\nCMD ["index.handler"]\n');
    expect(() => readImageCommand(path, "svc/Dockerfile")).toThrow(ImageCommandError);
    expect(() => readImageCommand(path, "svc/Dockerfile")).toThrow(
      /^svc\/Dockerfile:3: ENTRYPOINT must use the exec \(JSON array\) form/,
    );
  });

  it("rejects an image with no handler", () => {
    const path = dockerfile('FROM node\nENTRYPOINT ["node"]\n');
    expect(() => readImageCommand(path, "svc/Dockerfile")).toThrow(
      /svc\/Dockerfile: the final stage needs an ENTRYPOINT starting the runtime client and a CMD naming the handler/,
    );
  });

  it("rejects a file with no FROM", () => {
    expect(() => readImageCommand(dockerfile("# nothing\n"), "x/Dockerfile")).toThrow(
      /x\/Dockerfile: no FROM instruction/,
    );
  });
});
