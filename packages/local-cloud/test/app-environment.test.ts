import { Writable } from "node:stream";
import {
  EventBridgeClient,
  PutEventsCommand,
  StartReplayCommand,
} from "@aws-sdk/client-eventbridge";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { removeTempDirs, synthCheckoutApp } from "@ebsvc/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusEvent } from "../src/bus-event.js";
import type { Observation } from "../src/engine/observations.js";
import { type Environment, startEnvironment } from "../src/environment.js";
import { normalize, SEED_SUCCESS_EVENT } from "./seed-event.js";

// The real app, synthesized by the CDK CLI into a folder of its own, run with the SDK as a user would.
let environment: Environment;
let client: EventBridgeClient;
const seen: Observation[] = [];

beforeAll(async () => {
  environment = await startEnvironment({
    assembly: synthCheckoutApp(),
    listen: { host: "127.0.0.1", port: 0 },
    // AWS's retry waits (1, then 2 minutes) shrunk to milliseconds for the failure cases.
    timeScale: 0.001,
    observer: (observation) => seen.push(observation),
    functionLogs: () => new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  client = new EventBridgeClient({
    endpoint: environment.url,
    region: environment.model.place.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}, 180_000);

afterAll(removeTempDirs);
afterAll(async () => {
  client?.destroy();
  await environment?.stop();
});

const busEvents = (from: number) =>
  seen.slice(from).flatMap((o) => (o.kind === "bus" ? [{ bus: o.bus, event: o.event }] : []));

async function putSeedEvent(source: string) {
  const from = seen.length;
  const answer = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: "source_bus",
          Source: source,
          DetailType: "Details",
          Detail: JSON.stringify({ message: "Hello World" }),
        },
      ],
    }),
  );
  await environment.cloud.settled();
  return { answer, events: busEvents(from) };
}

describe("the seed README scenario, locally", () => {
  it("backtosource: the success event arrives on source_bus as the seed shows it", async () => {
    const { answer, events } = await putSeedEvent("backtosource");
    expect(answer.FailedEntryCount).toBe(0);
    // Then toanother reacts to that result, and chained to toanother's (their subscriptions).
    expect(events.map((e) => [e.bus, e.event.source])).toEqual([
      ["source_bus", "backtosource"],
      ["source_bus", "lambda"],
      ["output_bus", "lambda"],
      ["output_bus", "lambda"],
    ]);
    const [sent, result] = events.map((e) => e.event) as [BusEvent, BusEvent];
    expect(sent.id).toBe(answer.Entries?.[0]?.EventId);
    expect(normalize(result, environment.model.place)).toEqual(
      normalize(SEED_SUCCESS_EVENT, { account: "YOUR-ACCOUNT-NUMBER", region: "YOUR-REGION" }),
    );
    expect((result.detail as { requestPayload: unknown }).requestPayload).toEqual(sent);
    const functionArn = (result.detail as { requestContext: { functionArn: string } })
      .requestContext.functionArn;
    expect(result.resources).toEqual([environment.cloud.findBus("source_bus")?.arn, functionArn]);
    const backtosource = environment.model.functions.find(
      (fn) => fn.service?.id === "backtosource",
    );
    expect(functionArn).toBe(`${backtosource?.arn}:live`);
  });

  it("toanother: the success event arrives on output_bus", async () => {
    const { events } = await putSeedEvent("toanother");
    expect(events.map((e) => [e.bus, e.event.source])).toEqual([
      ["source_bus", "toanother"],
      ["output_bus", "lambda"],
      ["output_bus", "lambda"],
    ]);
    const result = events[1]?.event as BusEvent;
    const expected = structuredClone(SEED_SUCCESS_EVENT);
    expected.resources[0] = "arn:aws:events:YOUR-REGION:YOUR-ACCOUNT-NUMBER:event-bus/output_bus";
    expected.detail.requestPayload.source = "toanother";
    expect(normalize(result, environment.model.place)).toEqual(
      normalize(expected, { account: "YOUR-ACCOUNT-NUMBER", region: "YOUR-REGION" }),
    );
  });

  it("keeps what the bus's archive matches", async () => {
    const { events } = await putSeedEvent("backtosource");
    const archive = environment.model.archives.find((a) => a.busName === "source_bus");
    const archived = environment.cloud.archived("source_bus", archive?.name ?? "");
    const onSourceBus = events.filter((e) => e.bus === "source_bus").map((e) => e.event);
    expect(onSourceBus).toHaveLength(2);
    expect(archived).toEqual(expect.arrayContaining(onSourceBus));
    expect(archived).not.toContainEqual(events.find((e) => e.bus === "output_bus")?.event);
  });
});

describe("subscriptions", () => {
  it("one event in, three results out, in order: backtosource, then toanother, then chained", async () => {
    const { events } = await putSeedEvent("backtosource");
    const results = events.slice(1).map((e) => e.event);
    const serviceOf = (event: BusEvent) => {
      const arn = (event.detail as { requestContext: { functionArn: string } }).requestContext
        .functionArn;
      return environment.model.functions.find((fn) => arn.startsWith(`${fn.arn}:`))?.service?.id;
    };
    expect(results.map(serviceOf)).toEqual(["backtosource", "toanother", "chained"]);
    // Each result's request is the result before it: the chain, link by link.
    expect(((results[1] as BusEvent).detail as { requestPayload: unknown }).requestPayload).toEqual(
      results[0],
    );
    expect(((results[2] as BusEvent).detail as { requestPayload: unknown }).requestPayload).toEqual(
      results[1],
    );
    expect(events.map((e) => e.bus)).toEqual([
      "source_bus",
      "source_bus",
      "output_bus",
      "output_bus",
    ]);
  });
});

describe("1,000 events put concurrently across both services", () => {
  it("accounts for every one exactly once, as a success record", async () => {
    const from = seen.length;
    const requests = Array.from({ length: 100 }, (_, r) =>
      client.send(
        new PutEventsCommand({
          Entries: Array.from({ length: 10 }, (_, k) => ({
            EventBusName: "source_bus",
            Source: (r * 10 + k) % 2 === 0 ? "backtosource" : "toanother",
            DetailType: "Details",
            Detail: JSON.stringify({ n: r * 10 + k }),
          })),
        }),
      ),
    );
    const answers = await Promise.all(requests);
    expect(answers.every((answer) => answer.FailedEntryCount === 0)).toBe(true);
    const ids = answers.flatMap((answer) => answer.Entries?.map((entry) => entry.EventId) ?? []);
    expect(new Set(ids).size).toBe(1000);
    await environment.cloud.settled();

    const caused = seen.slice(from);
    expect(caused.filter((o) => o.kind === "queue" || o.kind === "notice")).toEqual([]);
    const allResults = busEvents(from).filter((e) => e.event.source === "lambda");
    // The first result of each event answers that event; the chain adds the others.
    const results = allResults.filter((e) =>
      ids.includes((e.event.detail as { requestPayload: { id: string } }).requestPayload.id),
    );
    const resultIds = results.map(
      (e) => (e.event.detail as { requestPayload: { id: string } }).requestPayload.id,
    );
    expect(resultIds).toHaveLength(1000);
    expect(new Set(resultIds)).toEqual(new Set(ids));
    // backtosource → toanother → chained: 3 results; toanother → chained: 2.
    expect(allResults).toHaveLength(500 * 3 + 500 * 2);
    for (const { bus, event } of results) {
      const payload = (event.detail as { requestPayload: BusEvent }).requestPayload;
      expect(bus).toBe(payload.source === "backtosource" ? "source_bus" : "output_bus");
    }
  }, 120_000);
});

describe("malformed PutEvents entries", () => {
  it("fails the bad entries one by one, as AWS does, and delivers the good one", async () => {
    const from = seen.length;
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: "no_such_bus",
            Source: "backtosource",
            DetailType: "Details",
            Detail: "{}",
          },
          {
            EventBusName: "source_bus",
            Source: "backtosource",
            DetailType: "Details",
            Detail: "[1]",
          },
          {
            EventBusName: "source_bus",
            Source: "backtosource",
            DetailType: "Details",
            Detail: "{}",
          },
        ],
      }),
    );
    await environment.cloud.settled();
    expect(answer.FailedEntryCount).toBe(1);
    // AWS accepts an event for a bus that does not exist, and drops it: so does this, aloud.
    expect(answer.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(seen.slice(from)).toContainEqual({
      kind: "notice",
      message: expect.stringContaining("there is no bus no_such_bus"),
    });
    expect(answer.Entries?.[1]).toMatchObject({ ErrorCode: "MalformedDetail" });
    expect(answer.Entries?.[2]?.EventId).toEqual(expect.any(String));
    expect(busEvents(from).map((e) => e.event.source)).toEqual([
      "backtosource",
      "lambda",
      "lambda",
      "lambda",
    ]);
  });
});

describe("deeply nested details", () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;
  const detail = (depth: number) => `{"message":"Hello World","nested":${nested(depth - 1)}}`;

  it("fails a Detail 6,000 levels deep with MalformedDetail, and runs one 1,100 deep through the app", async () => {
    const from = seen.length;
    const entry = (depth: number) => ({
      EventBusName: "source_bus",
      Source: "backtosource",
      DetailType: "Details",
      Detail: detail(depth),
    });
    const answer = await client.send(new PutEventsCommand({ Entries: [entry(6000), entry(1100)] }));
    await environment.cloud.settled();
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries?.[0]).toEqual({
      ErrorCode: "MalformedDetail",
      ErrorMessage:
        "Detail is malformed. Reason: it nests 6000 levels deep; EventBridge processes nested JSON up to 1100 levels deep.",
    });
    expect(answer.Entries?.[1]?.EventId).toEqual(expect.any(String));
    // The event, then each service's success record, carrying it as requestPayload.
    const events = busEvents(from);
    expect(events.map((e) => e.event.source)).toEqual([
      "backtosource",
      "lambda",
      "lambda",
      "lambda",
    ]);
    expect(JSON.stringify(events[0]?.event.detail)).toBe(detail(1100));
    expect(seen.slice(from).filter((o) => o.kind === "notice")).toEqual([]);
  });
});

describe("a malformed event", () => {
  it("ends in the service's DLQ with the handler's reason, readable with the SQS SDK", async () => {
    const from = seen.length;
    await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: "source_bus",
            Source: "backtosource",
            DetailType: "Details",
            Detail: JSON.stringify({ message: 42 }),
          },
        ],
      }),
    );
    await environment.cloud.settled();
    expect(busEvents(from).map((e) => e.event.source)).toEqual(["backtosource"]);

    const fn = environment.model.functions.find((f) => f.service?.id === "backtosource");
    const dlqArn = environment.model.invokeConfigs.find(
      (c) => c.functionName === fn?.name,
    )?.onFailure;
    const dlq = environment.model.queues.find((q) => q.arn === dlqArn);
    const sqs = new SQSClient({
      endpoint: environment.url,
      region: environment.model.place.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq?.url, MaxNumberOfMessages: 10 }),
    );
    sqs.destroy();
    expect(received.Messages).toHaveLength(1);
    const record = JSON.parse(received.Messages?.[0]?.Body ?? "");
    expect(record).toMatchObject({
      requestContext: {
        functionArn: `${fn?.arn}:live`,
        condition: "RetriesExhausted",
        approximateInvokeCount: 3,
      },
      requestPayload: { source: "backtosource", detail: { message: 42 } },
      responseContext: { functionError: "Unhandled" },
      responsePayload: {
        errorType: "MalformedEventError",
        errorMessage: "detail.message is 42 (expected string)",
      },
    });
  });
});

describe("the event log", () => {
  it("traces an event through its matches, invocations, logs, destinations and the chain", async () => {
    const { answer } = await putSeedEvent("backtosource");
    const eventId = answer.Entries?.[0]?.EventId ?? "";
    const trace = environment.log.trace(eventId).map((entry) => entry.observation);
    const kinds = trace.map((o) => o.kind);
    expect(kinds[0]).toBe("bus");
    expect(kinds.slice(1, 2)).toEqual(["match"]);
    const invocations = trace.flatMap((o) => (o.kind === "invocation" ? [o] : []));
    // backtosource, then toanother on its result, then the chained one: each started and ended.
    expect(invocations.filter((o) => o.phase === "start")).toHaveLength(3);
    const ends = invocations.flatMap((o) => (o.phase === "end" ? [o] : []));
    expect(ends.map((o) => o.outcome)).toEqual(["success", "success", "success"]);
    expect(ends[0]).toMatchObject({ eventId, service: "backtosource", attempt: 1 });
    const firstRequest = ends[0]?.requestId;
    const logs = trace.flatMap((o) => (o.kind === "log" ? [o] : []));
    const ownLines = logs.filter((o) => o.requestId === firstRequest).map((o) => o.line);
    expect(ownLines[0]).toMatch(/^START RequestId: /);
    expect(ownLines.some((line) => line.startsWith("REPORT RequestId: "))).toBe(true);
    const destinations = trace.flatMap((o) => (o.kind === "destination" ? [o] : []));
    expect(destinations[0]).toMatchObject({
      requestId: firstRequest,
      condition: "Success",
      delivered: true,
    });
    // The result on source_bus names its cause; its own trace is a subtree of this one.
    const result = trace.find(
      (o) => o.kind === "bus" && o.event.id === destinations[0]?.eventId,
    ) as Extract<Observation, { kind: "bus" }>;
    expect(result.cause).toMatchObject({ eventId, requestId: firstRequest });
    const sub = environment.log.trace(result.event.id);
    expect(sub.length).toBeLessThan(trace.length);
    expect(sub[0]?.observation).toEqual(result);
    expect(
      sub.some((e) => e.observation.kind === "bus" && e.observation.event.id === eventId),
    ).toBe(false);
  });

  it("keeps the dead letter and the failed attempts in the failing event's trace", async () => {
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: "source_bus",
            Source: "backtosource",
            DetailType: "Details",
            Detail: JSON.stringify({ message: 7 }),
          },
        ],
      }),
    );
    await environment.cloud.settled();
    const eventId = answer.Entries?.[0]?.EventId ?? "";
    const trace = environment.log.trace(eventId).map((entry) => entry.observation);
    const ends = trace.flatMap((o) => (o.kind === "invocation" && o.phase === "end" ? [o] : []));
    expect(ends.map((o) => [o.attempt, o.outcome, o.retryInSeconds])).toEqual([
      [1, "function-error", 60],
      [2, "function-error", 120],
      [3, "function-error", undefined],
    ]);
    expect(ends[0]?.error).toEqual({
      errorType: "MalformedEventError",
      errorMessage: "detail.message is 7 (expected string)",
    });
    expect(new Set(ends.map((o) => o.requestId)).size).toBe(1);
    expect(trace.at(-1)).toMatchObject({ kind: "queue", eventId, requestId: ends[0]?.requestId });
  });

  it("pages through entries in order and tells subscribers as they come", async () => {
    const told: number[] = [];
    const unsubscribe = environment.log.subscribe((entry) => told.push(entry.seq));
    const before = environment.log.latest(1)[0]?.seq ?? 0;
    await putSeedEvent("toanother");
    unsubscribe();
    const after = environment.log.after(before, 1000);
    expect(after.map((e) => e.seq)).toEqual(told);
    expect(after.every((e, i) => i === 0 || e.seq > (after[i - 1]?.seq ?? 0))).toBe(true);
    expect(environment.log.latest(3).map((e) => e.seq)).toEqual(told.slice(-3));
  });
});

describe("replay (StartReplay)", () => {
  it("sends archived events to the rules again with replay-name, without archiving them again", async () => {
    const since = new Date(Date.now() - 1000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { answer } = await putSeedEvent("toanother");
    const eventId = answer.Entries?.[0]?.EventId;
    const archive = environment.model.archives.find((a) => a.busName === "source_bus");
    const busArn = environment.cloud.findBus("source_bus")?.arn;
    const from = seen.length;
    const started = await client.send(
      new StartReplayCommand({
        ReplayName: "again",
        EventSourceArn: archive?.arn,
        EventStartTime: since,
        EventEndTime: new Date(),
        Destination: { Arn: busArn },
      }),
    );
    await environment.cloud.settled();
    expect(started.State).toBe("COMPLETED");
    const replayed = busEvents(from).filter((e) => "replay-name" in e.event);
    // The event put, and the success record of it that landed on source_bus: both archived.
    expect(replayed.map((e) => e.event.id)).toContain(eventId);
    expect(
      replayed.every((e) => (e.event as { "replay-name"?: string })["replay-name"] === "again"),
    ).toBe(true);
    const archived = environment.cloud.archived("source_bus", archive?.name ?? "") ?? [];
    expect(archived.filter((e) => "replay-name" in e)).toEqual([]);
    expect(archived.filter((e) => e.id === eventId)).toHaveLength(1);
    // The replayed event ran its function again: a new success record.
    const results = busEvents(from).filter(
      (e) =>
        e.event.source === "lambda" &&
        (e.event.detail as { requestPayload: { id: string } }).requestPayload.id === eventId,
    );
    expect(results).toHaveLength(1);
  });

  it("replays only to the rules named in FilterArns", async () => {
    const since = new Date(Date.now() - 1000);
    await putSeedEvent("backtosource");
    const archive = environment.model.archives.find((a) => a.busName === "source_bus");
    const toanotherRule = environment.model.rules.find(
      (r) => r.busName === "source_bus" && JSON.stringify(r.pattern).includes("toanother"),
    );
    const from = seen.length;
    await client.send(
      new StartReplayCommand({
        ReplayName: "only-toanother",
        EventSourceArn: archive?.arn,
        EventStartTime: since,
        EventEndTime: new Date(),
        Destination: {
          Arn: environment.cloud.findBus("source_bus")?.arn,
          FilterArns: [toanotherRule?.arn ?? ""],
        },
      }),
    );
    await environment.cloud.settled();
    const replayedIds = new Set(
      busEvents(from).flatMap((e) => ("replay-name" in e.event ? [e.event.id] : [])),
    );
    const matches = seen
      .slice(from)
      .flatMap((o) => (o.kind === "match" && replayedIds.has(o.eventId) ? [o.rule] : []));
    expect(matches.length).toBeGreaterThan(0);
    expect(new Set(matches)).toEqual(new Set([toanotherRule?.name]));
  });
});
