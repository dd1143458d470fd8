import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { STACK_NAME } from "@ebsvc/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSERTION_STACK_NAME } from "../src/choreography-test.js";
import { readIntegManifest, runIntegration } from "../src/run.js";
import { describing, INTEG_DIR, tempDir, tempRepo, UNDER_TEST } from "./support.js";

const CDK_CLI = createRequire(import.meta.url).resolve("aws-cdk/bin/cdk");

/** A CloudFormation that has no stack of the names asked for. */
const missing = () => describing({}).client;

describe("runIntegration with the real CDK CLI, up to AWS (a local endpoint answering AccessDenied)", () => {
  let server: Server;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        seen.push(/Action=(\w+)/.exec(body)?.[1] ?? `${request.method} ${request.url}`);
        response.writeHead(403, { "content-type": "text/xml" });
        response.end(
          "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no AWS here</Message></Error><RequestId>1</RequestId></ErrorResponse>",
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => {
    server.close();
  });

  it("synthesizes, then deploys and destroys (assertion stack first) until the CLI asks AWS who calls", async () => {
    const integDir = tempDir("integ-dir-");
    const cdkJson = JSON.parse(readFileSync(join(INTEG_DIR, "cdk.json"), "utf8")) as {
      app: string;
    };
    writeFileSync(
      join(integDir, "cdk.json"),
      JSON.stringify({
        ...cdkJson,
        app: `node ${join(INTEG_DIR, "dist", "integ.choreography.js")}`,
      }),
    );
    const lines: string[] = [];
    const output: Record<string, string> = {};
    const port = (server.address() as { port: number }).port;
    const code = await runIntegration({
      repoRoot: tempRepo(),
      integDir,
      clean: true,
      env: {
        PATH: process.env.PATH,
        HOME: tempDir("integ-home-"),
        AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        AWS_REGION: "eu-west-1",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      },
      log: (line) => lines.push(line),
      cloudFormation: missing,
      hasDocker: () => true,
      // The CLI, its output kept (asynchronously: the endpoint answers from this process).
      cdk: (args, cwd, env) =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, [CDK_CLI, ...args], { cwd, env });
          let text = "";
          child.stdout.on("data", (chunk) => {
            text += chunk;
          });
          child.stderr.on("data", (chunk) => {
            text += chunk;
          });
          child.on("error", reject);
          child.on("close", (status) => {
            output[args[0] as string] = text;
            resolve(status ?? 1);
          });
        }),
    });
    expect(code).toBe(1);
    expect(readIntegManifest(join(integDir, "cdk.out"))).toHaveLength(1);
    expect(lines).toEqual([
      expect.stringMatching(/^synthesizing the integ app/),
      `deploying ${[...UNDER_TEST, ASSERTION_STACK_NAME].join(", ")} (images are built by Docker; 5-15 minutes)`,
      "deployment failed, see above (an assertion that waits fails it when it gives up)",
      `destroying ${[...UNDER_TEST, ASSERTION_STACK_NAME].join(", ")}`,
      expect.stringMatching(/^destroy failed: clean up by hand/),
    ]);
    // The CLI took each command line and went on until it asked AWS who is calling.
    expect(seen).toContain("GetCallerIdentity");
    expect(output.deploy).toContain("Unable to resolve AWS account");
    // Nothing the assertion stack imports from goes first: the CLI orders the destroy by
    // dependency (here it stops at the first stack, for want of an account).
    const first = output.destroy?.match(/^(\S+): destroying\.\.\. \[1\/10\]$/m)?.[1];
    expect([ASSERTION_STACK_NAME, ...UNDER_TEST]).toContain(first);
    expect([STACK_NAME, `${STACK_NAME}-Services2`, `${STACK_NAME}-Services3`]).not.toContain(first);
    expect(output.destroy).toContain("Unable to resolve AWS account");
  });
});
