import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureEmulator, startFixture, waitFor } from "./helpers.js";

describe("X-Amz-Invocation-Type", () => {
  let fx: FixtureEmulator;
  beforeAll(async () => {
    fx = await startFixture("slow", { concurrency: 1 });
  });
  afterAll(() => fx.emulator.stop());

  it("Event answers 202 with an empty body at once, then runs the function", async () => {
    const accepted = await fx.emulator.invoke({ sleepMs: 300 }, { invocationType: "Event" });
    expect(accepted.statusCode).toBe(202);
    expect(accepted.body).toBe("");
    const id = String(accepted.headers["x-amzn-requestid"]);
    expect(fx.output.text).not.toContain(`REPORT RequestId: ${id}`);
    await fx.output.waitForLine(new RegExp(`^START RequestId: ${id} `));
    await fx.output.waitForLine(new RegExp(`^REPORT RequestId: ${id}\\t`));
  });

  it("Event refuses a payload over Lambda's 1 MB asynchronous limit with 413", async () => {
    const big = { pad: "x".repeat(1024 * 1024) };
    const refused = await fx.emulator.invoke(big, { invocationType: "Event" });
    expect(refused.statusCode).toBe(413);
    expect(JSON.parse(refused.body)).toEqual({
      errorType: "RequestEntityTooLargeException",
      errorMessage: "Request must be smaller than 1048576 bytes for the InvokeFunction operation",
    });
    // Synchronously, the same payload is within the 6 MB limit.
    const taken = await fx.emulator.invoke({ ...big, sleepMs: 1 });
    expect(taken.statusCode).toBe(200);
  });

  it("DryRun answers 204 and runs nothing", async () => {
    const before = fx.output.lines().filter((line) => line.startsWith("START ")).length;
    const dry = await fx.emulator.invoke({ sleepMs: 1 }, { invocationType: "DryRun" });
    expect(dry.statusCode).toBe(204);
    expect(dry.body).toBe("");
    const synchronous = await fx.emulator.invoke(
      { sleepMs: 1 },
      { invocationType: "RequestResponse" },
    );
    expect(JSON.parse(synchronous.body)).toEqual({ slept: true });
    expect(fx.output.lines().filter((line) => line.startsWith("START ")).length).toBe(before + 1);
  });

  it("refuses any other value with Lambda's ValidationException", async () => {
    const res = await fx.emulator.invoke({}, { invocationType: "event" });
    expect(res.statusCode).toBe(400);
    expect(res.headers["x-amzn-errortype"]).toBe("ValidationException");
    expect(JSON.parse(res.body)).toEqual({
      message:
        "1 validation error detected: Value 'event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, Event, DryRun]",
    });
    const log = await fx.emulator.invoke({}, { logType: "tail" });
    expect(log.statusCode).toBe(400);
    expect(JSON.parse(log.body).message).toContain("Value 'tail' at 'logType'");
  });
});

describe("X-Amz-Log-Type: Tail", () => {
  let fx: FixtureEmulator;
  beforeAll(async () => {
    fx = await startFixture("chatty", { concurrency: 1 });
  });
  afterAll(() => fx.emulator.stop());

  const logOf = (headers: Record<string, unknown>) =>
    Buffer.from(String(headers["x-amz-log-result"]), "base64").toString("utf8");

  it("returns the invocation's log, START to REPORT, base64-encoded", async () => {
    const res = await fx.emulator.invoke({ lines: 2 }, { logType: "Tail" });
    const id = String(res.headers["x-amzn-requestid"]);
    const lines = logOf(res.headers).trimEnd().split("\n");
    expect(lines[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(lines.filter((line) => /\tINFO\tchatty line \d$/.test(line))).toHaveLength(2);
    expect(lines.at(-2)).toBe(`END RequestId: ${id}`);
    expect(lines.at(-1)).toMatch(
      new RegExp(`^REPORT RequestId: ${id}\\t.*Max Memory Used: \\d+ MB`),
    );
    // A second invocation's log holds only its own lines.
    const second = await fx.emulator.invoke({ lines: 1 }, { logType: "Tail" });
    expect(logOf(second.headers)).not.toContain(id);
    expect(logOf(second.headers).match(/chatty line/g)).toHaveLength(1);
  });

  it("keeps only the last 4 KB of a long log", async () => {
    const res = await fx.emulator.invoke({ lines: 500 }, { logType: "Tail" });
    const raw = Buffer.from(String(res.headers["x-amz-log-result"]), "base64");
    expect(raw.length).toBe(4096);
    const text = raw.toString("utf8");
    expect(text).toContain("\tINFO\tchatty line 500\n");
    expect(text).not.toContain("START RequestId");
    expect(text).toMatch(/\nREPORT RequestId: [^\n]+\n$/);
  });

  it("is absent without Tail, and for an Event invocation", async () => {
    const plain = await fx.emulator.invoke({ lines: 1 });
    expect(plain.headers["x-amz-log-result"]).toBeUndefined();
    const event = await fx.emulator.invoke(
      { lines: 1 },
      { logType: "Tail", invocationType: "Event" },
    );
    expect(event.statusCode).toBe(202);
    expect(event.headers["x-amz-log-result"]).toBeUndefined();
  });
});

describe("the function name in the invoke path", () => {
  let fx: FixtureEmulator;
  beforeAll(async () => {
    fx = await startFixture("ok", { functionName: "orders", region: "eu-west-1" });
  });
  afterAll(() => fx.emulator.stop());

  it("accepts the served name, its ARN, $LATEST, and `function` as the RIE does", async () => {
    for (const functionName of [
      "orders",
      "orders:$LATEST",
      "arn:aws:lambda:eu-west-1:012345678912:function:orders",
      "012345678912:function:orders",
      "function",
    ]) {
      const res = await fx.emulator.invoke({ name: functionName }, { functionName });
      expect(res.statusCode, functionName).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ name: functionName });
    }
  });

  it("answers 404 ResourceNotFoundException for another function, as Lambda words it", async () => {
    const res = await fx.emulator.invoke({}, { functionName: "payments" });
    expect(res.statusCode).toBe(404);
    expect(res.headers["x-amzn-errortype"]).toBe("ResourceNotFoundException");
    expect(JSON.parse(res.body)).toEqual({
      Type: "User",
      Message: "Function not found: arn:aws:lambda:eu-west-1:012345678912:function:payments",
    });
    const qualified = await fx.emulator.invoke({}, { functionName: "orders:live" });
    expect(qualified.statusCode).toBe(404);
  });
});

describe("X-Amzn-Trace-Id", () => {
  it("reaches the handler as _X_AMZN_TRACE_ID", async () => {
    const fx = await startFixture("context");
    try {
      const traceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
      const seen = JSON.parse((await fx.emulator.invoke({}, { traceId })).body);
      expect(seen.traceId).toBe(traceId);
      // Without one, the emulator makes one up, as Lambda does.
      const fresh = JSON.parse((await fx.emulator.invoke({})).body);
      expect(fresh.traceId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
      await waitFor(
        () => fx.output.lines().filter((line) => line.startsWith("REPORT ")).length,
        (n) => n === 2,
      );
    } finally {
      await fx.emulator.stop();
    }
  });
});
