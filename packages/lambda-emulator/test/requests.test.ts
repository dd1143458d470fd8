import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureEmulator, startFixture } from "./helpers.js";

const INVOKE = "/2015-03-31/functions/function/invocations";

/** One raw HTTP exchange, so bodies and headers are exactly what we choose. */
function exchange(
  url: string,
  method: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method, headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    // A server that refuses a body early may close while we still send it.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

describe("requests the invoke API refuses", () => {
  let fx: FixtureEmulator;
  const limit = 64 * 1024;
  beforeAll(async () => {
    fx = await startFixture("ok", { maxPayloadBytes: limit });
  });
  afterAll(() => fx.emulator.stop());

  async function expectStillServing(): Promise<void> {
    const ok = await fx.emulator.invoke({ still: "serving" });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('{"still":"serving"}');
  }

  it("400 for a body that is not JSON", async () => {
    const res = await exchange(`${fx.emulator.url}${INVOKE}`, "POST", '{"unclosed": ');
    expect(res.status).toBe(400);
    const error = JSON.parse(res.body);
    expect(error.errorType).toBe("InvalidRequestContentException");
    expect(error.errorMessage).toMatch(/^Could not parse request body into json: .+/);
    await expectStillServing();
  });

  it("400 for a client context that is not base64 JSON", async () => {
    const res = await exchange(`${fx.emulator.url}${INVOKE}`, "POST", "{}", {
      "X-Amz-Client-Context": Buffer.from("not json").toString("base64"),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).errorType).toBe("InvalidRequestContentException");
    await expectStillServing();
  });

  it("404 with a JSON error for any other path", async () => {
    for (const path of [
      "/",
      "/2015-03-31/functions/function",
      "/2015-03-31/functions/a/b/invocations",
    ]) {
      const res = await exchange(`${fx.emulator.url}${path}`, "POST", "{}");
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ errorType: "ResourceNotFoundException" });
    }
    await expectStillServing();
  });

  it("405 with Allow: POST for another method on the invoke path", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await exchange(`${fx.emulator.url}${INVOKE}`, method);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe("POST");
      expect(JSON.parse(res.body).errorType).toBe("MethodNotAllowed");
    }
    await expectStillServing();
  });

  it("413 for a body over the limit, whether its length is declared or streamed", async () => {
    const big = Buffer.alloc(limit * 16, "a");
    const declared = await exchange(`${fx.emulator.url}${INVOKE}`, "POST", big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({
      errorType: "RequestEntityTooLargeException",
      errorMessage: `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
    });

    const streamed = await exchange(`${fx.emulator.url}${INVOKE}`, "POST", big, {
      "Transfer-Encoding": "chunked",
    });
    expect(streamed.status).toBe(413);

    // Exactly at the limit is fine.
    const atLimit = JSON.stringify("x".repeat(limit - 2));
    const ok = await exchange(`${fx.emulator.url}${INVOKE}`, "POST", atLimit);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(atLimit);
    await expectStillServing();
  });

  it("keeps working when a caller hangs up mid-invoke", async () => {
    const sleepy = await startFixture("sleepy");
    try {
      const req = request(`${sleepy.emulator.url}${INVOKE}`, { method: "POST" });
      req.on("error", () => {});
      req.end('{"abandoned":true}');
      await sleepy.output.waitForLine(/^START RequestId: /);
      req.destroy();
      // The abandoned invocation still finishes in the runtime; then the process takes more.
      await sleepy.output.waitForLine(/^REPORT RequestId: /);
      const next = await sleepy.emulator.invoke({ after: "hang-up" });
      expect(next.statusCode).toBe(200);
      expect(next.body).toBe('{"after":"hang-up"}');
    } finally {
      await sleepy.emulator.stop();
    }
  });
});

describe("the default payload limit", () => {
  it("is Lambda's 6 MiB", async () => {
    const fx = await startFixture("ok");
    try {
      const over = await fx.emulator.invoke(Buffer.alloc(6 * 1024 * 1024 + 1, " "));
      expect(over.statusCode).toBe(413);
      const ok = await fx.emulator.invoke({ fine: true });
      expect(ok.statusCode).toBe(200);
    } finally {
      await fx.emulator.stop();
    }
  });
});

describe("the Runtime API", () => {
  it("refuses calls a real runtime should not make", async () => {
    const fx = await startFixture("probe");
    try {
      const result = await fx.emulator.invoke({});
      expect(result.statusCode).toBe(200);
      const seen = JSON.parse(result.body);
      expect(seen.unknownRequestId.status).toBe(400);
      expect(JSON.parse(seen.unknownRequestId.body).errorType).toBe("InvalidRequestID");
      expect(seen.unknownPath.status).toBe(404);
      expect(seen.initErrorAfterInit.status).toBe(403);
      expect(seen.wrongMethod.status).toBe(405);
    } finally {
      await fx.emulator.stop();
    }
  });
});
