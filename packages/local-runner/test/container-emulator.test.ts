import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  chooseContainerEmulator,
  containerRunArgs,
  RIE_DEFAULT_PATH,
} from "../src/container-emulator.js";

const base = {
  name: "ebsvc-local-orders-1",
  image: "ebsvc-local/orders:latest",
  command: ["node", "/opt/runtime/node_modules/aws-lambda-ric/index.mjs", "index.handler"],
  handler: "index.handler",
  workdir: "/var/task",
  port: 9000,
  functionName: "orders",
  timeoutSeconds: 30,
  memorySize: 512,
  concurrency: 4,
};

describe("chooseContainerEmulator", () => {
  it("takes the official RIE named by AWS_LAMBDA_RIE", () => {
    const binary = join(mkdtempSync(join(tmpdir(), "rie-")), "aws-lambda-rie");
    writeFileSync(binary, "");
    expect(chooseContainerEmulator({ AWS_LAMBDA_RIE: binary }, "/pkg")).toEqual({
      kind: "rie",
      binary,
      why: `AWS_LAMBDA_RIE names ${binary}`,
    });
  });

  it("fails when AWS_LAMBDA_RIE names nothing", () => {
    expect(() => chooseContainerEmulator({ AWS_LAMBDA_RIE: "/nope/rie" }, "/pkg")).toThrow(
      "AWS_LAMBDA_RIE=/nope/rie: no such file",
    );
  });

  it("falls back to lambda-emulator, saying where the RIE was looked for", () => {
    const chosen = chooseContainerEmulator({}, "/pkg");
    if (chosen.kind === "rie") expect(chosen.binary).toBe(RIE_DEFAULT_PATH);
    else
      expect(chosen).toEqual({
        kind: "ours",
        packageDir: "/pkg",
        why: expect.stringContaining(RIE_DEFAULT_PATH),
      });
  });
});

describe("containerRunArgs", () => {
  it("runs the image's own command behind the RIE, as AWS documents it", () => {
    const args = containerRunArgs({
      ...base,
      emulator: { kind: "rie", binary: "/home/u/.aws-lambda-rie/aws-lambda-rie", why: "" },
    });
    expect(args).toEqual([
      "run",
      "--rm",
      "--name",
      "ebsvc-local-orders-1",
      "--publish",
      "127.0.0.1:9000:8080",
      "--env",
      "AWS_LAMBDA_FUNCTION_NAME=orders",
      "--env",
      "AWS_LAMBDA_FUNCTION_TIMEOUT=30",
      "--env",
      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512",
      "--env",
      "_HANDLER=index.handler",
      "--volume",
      "/home/u/.aws-lambda-rie:/aws-lambda:ro",
      "--entrypoint",
      "/aws-lambda/aws-lambda-rie",
      "ebsvc-local/orders:latest",
      "node",
      "/opt/runtime/node_modules/aws-lambda-ric/index.mjs",
      "index.handler",
    ]);
  });

  it("runs the image's own command behind lambda-emulator mounted read-only", () => {
    const args = containerRunArgs({
      ...base,
      emulator: { kind: "ours", packageDir: "/repo/packages/lambda-emulator", why: "" },
    });
    expect(args.slice(args.indexOf("--volume"))).toEqual([
      "--volume",
      "/repo/packages/lambda-emulator:/opt/lambda-emulator:ro",
      "--entrypoint",
      "node",
      "ebsvc-local/orders:latest",
      "/opt/lambda-emulator/dist/cli.js",
      "--host",
      "0.0.0.0",
      "--port",
      "8080",
      "--timeout",
      "30",
      "--concurrency",
      "4",
      "--memory",
      "512",
      "--function-name",
      "orders",
      "--task-root",
      "/var/task",
      "--handler",
      "index.handler",
      "--",
      "node",
      "/opt/runtime/node_modules/aws-lambda-ric/index.mjs",
      "index.handler",
    ]);
  });
});
