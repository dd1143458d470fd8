import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { Writable } from "node:stream";
import { readModel } from "@ebsvc/cloud-assembly";
import { ACCOUNT, REGION, synthFixtureApp } from "@ebsvc/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusEvent } from "../src/bus-event.js";
import { LocalCloud } from "../src/engine/local-cloud.js";
import type { Observation } from "../src/engine/observations.js";

let assembly: string;
let cloud: LocalCloud;
const seen: Observation[] = [];

beforeAll(async () => {
  assembly = synthFixtureApp();
  cloud = await LocalCloud.start(readModel(assembly), {
    timeScale: 0.001,
    observer: (observation) => seen.push(observation),
    createQueue: (queue) => ({
      name: queue.name,
      arn: queue.arn,
      send: (body, attributes = {}) =>
        seen.push({ kind: "queue", queue: queue.name, messageId: randomUUID(), body, attributes }),
    }),
    functionLogs: () => devNull(),
  });
});

afterAll(async () => {
  await cloud?.stop();
  rmSync(assembly, { recursive: true, force: true });
});

function devNull(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

/** Puts one event on source_bus and returns what it caused once everything has settled. */
async function put(source: string, detail: Record<string, unknown>) {
  const event: BusEvent = {
    version: "0",
    id: randomUUID(),
    "detail-type": "Test",
    source,
    account: ACCOUNT,
    time: "2026-11-27T10:00:00Z",
    region: REGION,
    resources: [],
    detail,
  };
  const from = seen.length;
  cloud.findBus("source_bus")?.put(event);
  await cloud.settled();
  const caused = seen.slice(from);
  const records = caused.flatMap((o) =>
    o.kind === "queue"
      ? [{ queue: o.queue, record: JSON.parse(o.body), attributes: o.attributes }]
      : [],
  );
  const busEvents = caused.flatMap((o) => (o.kind === "bus" ? [o] : []));
  return { event, caused, records, busEvents };
}

const aliasArn = (service: string) => {
  const fn = cloud.model.functions.find((f) => f.service?.id === service);
  return `${fn?.arn}:live`;
};
const dlqOf = (service: string) => {
  const fn = cloud.model.functions.find((f) => f.service?.id === service);
  const arn = cloud.model.invokeConfigs.find((c) => c.functionName === fn?.name)?.onFailure;
  return cloud.model.queues.find((q) => q.arn === arn)?.name;
};

describe("a successful invocation", () => {
  it("puts the success record on the destination bus, as AWS sends it", async () => {
    const { event, busEvents } = await put("steady", { greeting: "hi" });
    expect(busEvents.map((o) => o.bus)).toEqual(["source_bus", "output_bus"]);
    const result = busEvents[1]?.event as BusEvent;
    expect(result).toMatchObject({
      version: "0",
      source: "lambda",
      "detail-type": "Lambda Function Invocation Result - Success",
      account: ACCOUNT,
      region: REGION,
      resources: [`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/output_bus`, aliasArn("steady")],
      detail: {
        version: "1.0",
        requestContext: {
          functionArn: aliasArn("steady"),
          condition: "Success",
          approximateInvokeCount: 1,
        },
        requestPayload: event,
        responseContext: { statusCode: 200, executedVersion: "1" },
        responsePayload: { handled: event.id, detail: { greeting: "hi" } },
      },
    });
    expect(result.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((result.detail as { timestamp: string }).timestamp).toMatch(/\.\d{3}Z$/);
    expect(result.detail).not.toHaveProperty("responseContext.functionError");
  });

  it("counts every invocation when a retry succeeds", async () => {
    const { busEvents, records } = await put("steady", { failUntil: 3 });
    expect(records).toEqual([]);
    expect(busEvents[1]?.event.detail).toMatchObject({
      requestContext: { condition: "Success", approximateInvokeCount: 3 },
    });
  });
});

describe("a failing invocation", () => {
  it("retries per the invoke config, then sends RetriesExhausted to the DLQ", async () => {
    const { event, records, busEvents } = await put("steady", { fail: "no stock" });
    expect(busEvents).toHaveLength(1);
    expect(records).toHaveLength(1);
    expect(records[0]?.queue).toBe(dlqOf("steady"));
    expect(records[0]?.record).toMatchObject({
      version: "1.0",
      requestContext: {
        functionArn: aliasArn("steady"),
        condition: "RetriesExhausted",
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: "1", functionError: "Handled" },
      responsePayload: { errorType: "BehaviourError", errorMessage: "no stock" },
    });
    expect(records[0]?.record.responsePayload.trace).toEqual(expect.any(Array));
  });

  it("does not retry when the config says 0 retries", async () => {
    const { records } = await put("once", { fail: "once only" });
    expect(records[0]?.record.requestContext).toMatchObject({
      condition: "RetriesExhausted",
      approximateInvokeCount: 1,
    });
  });

  it("sends EventAgeExceeded when the event is too old for the next retry", async () => {
    const { records } = await put("stale", { fail: "slow" });
    expect(records).toHaveLength(1);
    expect(records[0]?.queue).toBe(dlqOf("stale"));
    expect(records[0]?.record).toMatchObject({
      requestContext: { condition: "EventAgeExceeded", approximateInvokeCount: 1 },
      responseContext: { functionError: "Handled" },
      responsePayload: { errorMessage: "slow" },
    });
  });

  it("reports a runtime that crashes mid-invocation as Unhandled, and runs the next event", async () => {
    const { records } = await put("once", { crash: true });
    expect(records[0]?.record).toMatchObject({
      requestContext: { condition: "RetriesExhausted", approximateInvokeCount: 1 },
      responseContext: { functionError: "Unhandled" },
      responsePayload: { errorType: "Runtime.ExitError" },
    });
    const after = await put("steady", { ok: true });
    expect(after.busEvents.map((o) => o.bus)).toEqual(["source_bus", "output_bus"]);
  });

  it("reports a timeout as Unhandled with Lambda's message", async () => {
    const { records } = await put("once", { sleepMs: 5_000 });
    expect(records[0]?.record).toMatchObject({
      responseContext: { functionError: "Unhandled" },
      responsePayload: { errorMessage: "Task timed out after 2.00 seconds" },
    });
  });
});

describe("delivery", () => {
  it("puts an event it cannot deliver in the target's DLQ, with AWS's attributes", async () => {
    const { event, caused } = await put("orphan", { lost: false });
    const messages = caused.flatMap((o) => (o.kind === "queue" ? [o] : []));
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]?.body ?? "")).toEqual(event);
    const rule = cloud.model.rules.find((r) => r.path.includes("OrphanRule"));
    const attribute = (name: string) => messages[0]?.attributes[name]?.StringValue;
    expect(attribute("RULE_ARN")).toBe(rule?.arn);
    expect(attribute("TARGET_ARN")).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:gone`);
    expect(attribute("ERROR_CODE")).toBe("ResourceNotFoundException");
    expect(attribute("ERROR_MESSAGE")).toContain("function:gone");
    expect(attribute("EXHAUSTED_RETRY_CONDITION")).toBe("MaximumRetryAttempts");
    expect(attribute("RETRY_ATTEMPTS")).toBe("2");
  });

  it("delivers an event that matches no rule to nobody", async () => {
    const { caused } = await put("nobody", {});
    expect(caused.map((o) => o.kind)).toEqual(["bus"]);
  });
});
