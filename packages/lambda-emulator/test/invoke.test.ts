import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureEmulator, fixtureDir, startFixture, UUID } from "./helpers.js";

describe("a successful invocation", () => {
  let fx: FixtureEmulator;
  beforeAll(async () => {
    fx = await startFixture("ok");
  });
  afterAll(() => fx.emulator.stop());

  it("answers 200 with the handler's response byte for byte, and the handler's line is printed", async () => {
    const event = { text: "héllo ✓ 🚀", n: [1, 2.5, -3e-7], nested: { empty: {}, nil: null } };
    const result = await fx.emulator.invoke(event);

    expect(result.statusCode).toBe(200);
    // The ric posts JSON.stringify(returned value); the emulator must not re-encode it.
    expect(result.body).toBe(JSON.stringify(event));
    expect(result.headers["content-type"]).toBe("application/json");
    expect(result.headers["x-amz-function-error"]).toBeUndefined();
    const requestId = String(result.headers["x-amzn-requestid"]);
    expect(requestId).toMatch(UUID);

    // The ric prefixes console.log lines with time, request id and level.
    const line = await fx.output.waitForLine(/ok handler got/);
    expect(line).toBe(
      `${line.split("\t")[0]}\t${requestId}\tINFO\tok handler got ${JSON.stringify(event)}`,
    );
  });

  it("sends strings as they are and treats an empty body as {}", async () => {
    expect((await fx.emulator.invoke('  { "spaced" : true }  ')).body).toBe('{"spaced":true}');
    expect((await fx.emulator.invoke("")).body).toBe("{}");
    expect((await fx.emulator.invoke('"just a string"')).body).toBe('"just a string"');
  });
});

describe("what the handler sees", () => {
  let fx: FixtureEmulator;
  beforeAll(async () => {
    fx = await startFixture("context", {
      timeoutSeconds: 7,
      memorySizeMb: 512,
      functionName: "orders",
      region: "eu-west-3",
      environment: { EXTRA: "from options" },
    });
  });
  afterAll(() => fx.emulator.stop());

  it("gets the client context the caller sent", async () => {
    const clientContext = { custom: { tenant: "acme", note: "non-ASCII: ü €" }, env: { v: 1 } };
    const result = await fx.emulator.invoke({}, { clientContext });
    expect(JSON.parse(result.body).clientContext).toEqual(clientContext);
  });

  it("has a sane remaining time, request id, ARN, trace id and environment", async () => {
    const result = await fx.emulator.invoke({ some: "event" });
    const seen = JSON.parse(result.body);

    expect(seen.event).toEqual({ some: "event" });
    expect(seen.remainingTimeMs).toBeGreaterThan(0);
    expect(seen.remainingTimeMs).toBeLessThanOrEqual(7_000);
    expect(seen.awsRequestId).toBe(result.headers["x-amzn-requestid"]);
    expect(seen.clientContext).toBeNull();
    expect(seen.functionName).toBe("orders");
    expect(seen.functionVersion).toBe("$LATEST");
    expect(seen.invokedFunctionArn).toBe("arn:aws:lambda:eu-west-3:012345678912:function:orders");
    expect(seen.memoryLimitInMB).toBe("512");
    expect(seen.logGroupName).toBe("/aws/lambda/orders");
    expect(seen.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(seen.traceId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(seen.env).toEqual({
      AWS_REGION: "eu-west-3",
      AWS_DEFAULT_REGION: "eu-west-3",
      AWS_LAMBDA_FUNCTION_TIMEOUT: "7",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      LAMBDA_TASK_ROOT: fixtureDir("context"),
      _HANDLER: "index.handler",
      EXTRA: "from options",
    });
    expect(seen.cwd).toBe(fixtureDir("context"));
  });
});

describe("platform log lines", () => {
  it("prints START, END and REPORT for each invocation, with Init Duration only on a cold start", async () => {
    const fx = await startFixture("ok", { memorySizeMb: 256 });
    try {
      const first = await fx.emulator.invoke({ call: 1 });
      const second = await fx.emulator.invoke({ call: 2 });
      const ids = [first, second].map((r) => String(r.headers["x-amzn-requestid"]));
      const reports = await Promise.all(
        ids.map((id) => fx.output.waitForLine(new RegExp(`^REPORT RequestId: ${id}\\t`))),
      );

      const lines = fx.output.lines();
      for (const id of ids) {
        const start = lines.indexOf(`START RequestId: ${id} Version: $LATEST`);
        const handlerLine = lines.findIndex((l) => l.includes(`\t${id}\tINFO\t`));
        const end = lines.indexOf(`END RequestId: ${id}`);
        const report = lines.findIndex((l) => l.startsWith(`REPORT RequestId: ${id}\t`));
        expect(start).toBeGreaterThanOrEqual(0);
        expect(handlerLine).toBeGreaterThan(start);
        expect(end).toBeGreaterThan(handlerLine);
        expect(report).toBe(end + 1);
      }

      const field = "(\\d+\\.\\d{2}) ms";
      const cold = new RegExp(
        `^REPORT RequestId: ${ids[0]}\\tInit Duration: ${field}\\tDuration: ${field}\\tBilled Duration: (\\d+) ms\\tMemory Size: 256 MB\\tMax Memory Used: (\\d+) MB$`,
      );
      const warm = new RegExp(
        `^REPORT RequestId: ${ids[1]}\\tDuration: ${field}\\tBilled Duration: (\\d+) ms\\tMemory Size: 256 MB\\tMax Memory Used: (\\d+) MB$`,
      );
      const [, init, duration, billed, memory] = cold.exec(reports[0] ?? "") ?? [];
      expect(Number(init)).toBeGreaterThan(0);
      expect(Number(billed)).toBe(Math.ceil(Number(init) + Number(duration)));
      // A Node process uses tens of MB; a made-up number would not be in this range.
      expect(Number(memory)).toBeGreaterThan(10);
      expect(Number(memory)).toBeLessThan(1024);
      expect(reports[1]).toMatch(warm);
    } finally {
      await fx.emulator.stop();
    }
  });
});
