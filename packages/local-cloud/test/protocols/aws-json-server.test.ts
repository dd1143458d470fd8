import { afterEach, describe, expect, it } from "vitest";
import {
  AwsError,
  type AwsJsonService,
  createEventsApi,
  type RunningAwsJsonServer,
  startAwsJsonServer,
} from "../../src/protocols/index.js";
import { FakeEventsBackend, rawRequest } from "./helpers.js";

let server: RunningAwsJsonServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A service whose operations exercise the server's answers. */
function testService(): AwsJsonService & { aborted: number } {
  const service = {
    targetPrefix: "Test",
    jsonVersion: "1.0" as const,
    maxRequestBytes: 1024,
    aborted: 0,
    handle(operation: string, input: Record<string, unknown>, context: { signal: AbortSignal }) {
      switch (operation) {
        case "Echo":
          return { echoed: input };
        case "Refuse":
          throw new AwsError("com.example#Refused", "refused on purpose", 403, "Legacy.Refused");
        case "Crash":
          throw new Error("handler bug");
        case "Wait":
          return new Promise((resolve) => {
            context.signal.addEventListener("abort", () => {
              service.aborted++;
              resolve({ waited: true });
            });
          });
        default:
          throw new AwsError("UnknownOperationException", `no ${operation}`);
      }
    },
  };
  return service;
}

const json10 = { "Content-Type": "application/x-amz-json-1.0" };

async function start(service = testService()) {
  server = await startAwsJsonServer({
    port: 0,
    services: [service, createEventsApi({ backend: new FakeEventsBackend("default") })],
  });
  return { url: server.url, service };
}

describe("the AWS JSON server", () => {
  it("listens on a free port when given port 0", async () => {
    const { url } = await start();
    expect(server?.port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${server?.port}`);
  });

  it("dispatches on X-Amz-Target and answers JSON with a request id", async () => {
    const { url } = await start();
    const res = await rawRequest(url, {
      headers: { ...json10, "X-Amz-Target": "Test.Echo" },
      body: '{"a":[1,2]}',
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-amz-json-1.0");
    expect(res.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json()).toEqual({ echoed: { a: [1, 2] } });
  });

  it("answers AwsError with its status, __type and message, and the Query error header", async () => {
    const { url } = await start();
    const res = await rawRequest(url, {
      headers: { ...json10, "X-Amz-Target": "Test.Refuse" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ __type: "com.example#Refused", message: "refused on purpose" });
    expect(res.headers["x-amzn-query-error"]).toBe("Legacy.Refused;Sender");
    expect(res.headers["x-amzn-requestid"]).toBeTruthy();
  });

  it("answers a failing handler with 500 InternalFailure", async () => {
    const { url } = await start();
    const res = await rawRequest(url, {
      headers: { ...json10, "X-Amz-Target": "Test.Crash" },
      body: "{}",
    });
    expect(res.status).toBe(500);
    expect(res.json().__type).toBe("InternalFailure");
    expect(res.json().message).toContain("handler bug");
  });

  it.each([
    ["{not json", "not valid JSON"],
    ["[1,2]", "must be a JSON object, not an array"],
    ['"text"', "must be a JSON object, not string"],
  ])("answers body %s with SerializationException", async (body, why) => {
    const { url } = await start();
    const res = await rawRequest(url, {
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSEvents.PutEvents",
      },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.json().__type).toBe("SerializationException");
    expect(res.json().message).toContain(why);
  });

  it("answers a member of the wrong JSON type with SerializationException naming it", async () => {
    const { url } = await start();
    const res = await rawRequest(url, {
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSEvents.PutEvents",
      },
      body: JSON.stringify({ Entries: [{ Source: "s", DetailType: 7, Detail: "{}" }] }),
    });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      __type: "SerializationException",
      message: "Entries[0].DetailType must be a string, not 7",
    });
  });

  it.each([
    [undefined, "(no X-Amz-Target header)"],
    ["Nope.Echo", "Nope.Echo"],
    ["AWSEvents", "AWSEvents"],
  ])("answers target %s with UnknownOperationException", async (target, named) => {
    const { url } = await start();
    const headers: Record<string, string> = { ...json10 };
    if (target) headers["X-Amz-Target"] = target;
    const res = await rawRequest(url, { headers, body: "{}" });
    expect(res.status).toBe(400);
    expect(res.json().__type).toBe("UnknownOperationException");
    expect(res.json().message).toContain(named);
    expect(res.json().message).toContain("AWSEvents.<Operation>");
  });

  it("answers GET with 405 and a path other than / with 404", async () => {
    const { url } = await start();
    const get = await rawRequest(url, { method: "GET" });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe("POST");
    expect(get.json().message).toContain("GET");
    const elsewhere = await rawRequest(url, {
      path: "/123456789012/orders",
      headers: { ...json10, "X-Amz-Target": "Test.Echo" },
      body: "{}",
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.json().message).toContain("/123456789012/orders");
  });

  it("refuses a body that is not AWS JSON", async () => {
    const { url } = await start();
    const res = await rawRequest(url, {
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Amz-Target": "Test.Echo" },
      body: "Action=SendMessage",
    });
    expect(res.status).toBe(400);
    expect(res.json().__type).toBe("SerializationException");
    expect(res.json().message).toContain("application/x-www-form-urlencoded");
  });

  it("refuses a body over the service's cap with 413, whether declared or streamed", async () => {
    const { url } = await start();
    const declared = await rawRequest(url, {
      headers: { ...json10, "X-Amz-Target": "Test.Echo" },
      body: JSON.stringify({ pad: "x".repeat(2000) }),
    });
    expect(declared.status).toBe(413);
    expect(declared.json().__type).toBe("RequestEntityTooLargeException");
    expect(declared.json().message).toContain("1024 bytes");
    const streamed = await rawRequest(url, {
      headers: { ...json10, "X-Amz-Target": "Test.Echo", "Transfer-Encoding": "chunked" },
      body: JSON.stringify({ pad: "x".repeat(2000) }),
    });
    expect(streamed.status).toBe(413);
  });

  it("ends pending requests on close, answering them, and resolves", async () => {
    const { url, service } = await start();
    const pending = rawRequest(url, {
      headers: { ...json10, "X-Amz-Target": "Test.Wait" },
      body: "{}",
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server?.close();
    expect((await pending).json()).toEqual({ waited: true });
    expect(service.aborted).toBe(1);
  });

  it("aborts a request's signal when its caller hangs up", async () => {
    const { url, service } = await start();
    const { request } = await import("node:http");
    const req = request(`${url}/`, {
      method: "POST",
      headers: { ...json10, "X-Amz-Target": "Test.Wait" },
    });
    req.on("error", () => {});
    req.end("{}");
    await new Promise((resolve) => setTimeout(resolve, 20));
    req.destroy();
    for (let i = 0; i < 50 && service.aborted === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(service.aborted).toBe(1);
  });

  it("refuses two services with one prefix", async () => {
    await expect(
      startAwsJsonServer({ port: 0, services: [testService(), testService()] }),
    ).rejects.toThrow(/two services claim the X-Amz-Target prefix Test/);
  });
});
