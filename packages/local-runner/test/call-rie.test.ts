import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dist = resolve(import.meta.dirname, "..", "dist");
const service = resolve(import.meta.dirname, "fixtures", "echo-service");

/** Ports fetch refuses to connect to (the Fetch standard's "bad ports"); one of them is free. */
const FETCH_BAD_PORTS = [6000, 6665, 6666, 6667, 6668, 6669, 6566, 10080];

/**
 * Answers as the official RIE does: 200 with the handler's answer as the body, and for a
 * handler error the error JSON without X-Amz-Function-Error.
 */
function rieLike(): Server {
  return createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      response.setHeader("Content-Type", "application/json");
      response.end(
        body.includes("fail")
          ? '{"errorType":"TypeError","errorMessage":"no stock","trace":["TypeError: no stock"]}'
          : '{"statusCode":200,"body":"ok"}',
      );
    });
  });
}

async function listenOnBadPort(server: Server): Promise<number> {
  for (const port of FETCH_BAD_PORTS) {
    const bound = await new Promise<boolean>((done) => {
      server.once("error", () => done(false));
      server.listen(port, "127.0.0.1", () => done(true));
    });
    if (bound) return port;
  }
  throw new Error(`none of ${FETCH_BAD_PORTS.join(", ")} is free`);
}

/** Runs call-local as it ships, without blocking this process (the server answers here). */
function callLocal(
  port: number,
  body: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [
    `${dist}/call-cli.js`,
    "--service",
    service,
    "--port",
    String(port),
    body,
  ]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((done) => child.on("close", (status) => done({ status, stdout, stderr })));
}

describe("call-local in front of the official RIE, on a port fetch refuses", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = rieLike();
    port = await listenOnBadPort(server);
  });
  afterAll(() => new Promise((done) => server.close(done)));

  it("prints a success and exits 0", async () => {
    const result = await callLocal(port, '{"message": "Hello World"}');
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe('{"statusCode":200,"body":"ok"}\n');
    expect(result.status).toBe(0);
  });

  it("recognises a function error by its body, without X-Amz-Function-Error, and exits 1", async () => {
    const result = await callLocal(port, '{"fail": true}');
    expect(result.stdout).toContain('"errorType":"TypeError"');
    expect(result.stderr).toBe(
      "call-local: the function failed (TypeError; no X-Amz-Function-Error header, as the official RIE omits it)\n",
    );
    expect(result.status).toBe(1);
  });
});
