import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callLocal, DEFAULT_BODY, functionErrorOf, requestBody } from "../src/call.js";
import { UsageError } from "../src/usage-error.js";

describe("requestBody", () => {
  const dir = mkdtempSync(join(tmpdir(), "call-"));

  it("defaults to the seed's message", () => {
    expect(requestBody(undefined)).toBe(DEFAULT_BODY);
    expect(JSON.parse(DEFAULT_BODY)).toEqual({ message: "Hello World" });
  });

  it("takes a JSON string as it is", () => {
    expect(requestBody('{"a": [1, 2]}')).toBe('{"a": [1, 2]}');
  });

  it("takes a file's content", () => {
    const file = join(dir, "event.json");
    writeFileSync(file, '{"source": "orders"}\n');
    expect(requestBody(file)).toBe('{"source": "orders"}\n');
  });

  it("refuses text that is neither a file nor JSON", () => {
    expect(() => requestBody("hello")).toThrow(UsageError);
    expect(() => requestBody("hello")).toThrow(/"hello" is neither a file nor valid JSON/);
  });

  it("refuses a file that is not JSON, naming it", () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, "{ nope");
    expect(() => requestBody(file)).toThrow(new RegExp(`${file}: not valid JSON`));
  });
});

describe("callLocal", () => {
  let server: Server;
  let port: number;
  const seen: Array<{ method?: string; url?: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        seen.push({ method: request.method, url: request.url, body });
        if (body.includes("fail")) response.setHeader("X-Amz-Function-Error", "Unhandled");
        response.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("POSTs the body to the invoke path and returns the answer", async () => {
    const result = await callLocal('{"message": "Hello World"}', port, "orders");
    expect(result).toEqual({ status: 200, functionError: null, body: '{"ok":true}' });
    expect(seen.at(-1)).toEqual({
      method: "POST",
      url: "/2015-03-31/functions/function/invocations",
      body: '{"message": "Hello World"}',
    });
  });

  it("reports a function error", async () => {
    expect((await callLocal('{"fail": 1}', port, "orders")).functionError).toBe("Unhandled");
  });

  it("takes an error body as a function error when the header is missing (the official RIE)", () => {
    const answer = (body: string) => ({ status: 200, functionError: null, body });
    expect(functionErrorOf(answer('{"errorType":"Error","errorMessage":"x","trace":[]}'))).toBe(
      "Error; no X-Amz-Function-Error header, as the official RIE omits it",
    );
    expect(functionErrorOf(answer('{"errorType":"Error"}'))).toBeUndefined();
    expect(functionErrorOf(answer('{"errorType":1,"errorMessage":"x"}'))).toBeUndefined();
    expect(functionErrorOf(answer("Task timed out"))).toBeUndefined();
    expect(functionErrorOf(answer("Task timed out after 3.00 seconds"))).toBe(
      "Task timed out after 3.00 seconds; no X-Amz-Function-Error header, as the official RIE omits it",
    );
    expect(functionErrorOf({ status: 200, functionError: "Unhandled", body: "{}" })).toBe(
      "X-Amz-Function-Error: Unhandled",
    );
  });

  it("says how to start the service when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(callLocal("{}", freePort, "orders")).rejects.toThrow(
      `nothing is listening on localhost:${freePort}: start the service first with pnpm --filter orders run local`,
    );
  });
});
