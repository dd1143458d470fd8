import {
  DescribeEventBusCommand,
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import type { BusEvent } from "../../src/bus-event.js";
import {
  createEventsApi,
  type EventsApiOptions,
  type RunningAwsJsonServer,
  startAwsJsonServer,
} from "../../src/protocols/index.js";
import {
  ACCOUNT,
  clientConfig,
  FakeEventsBackend,
  REGION,
  rawRequest,
  sdkError,
} from "./helpers.js";

let server: RunningAwsJsonServer | undefined;
let client: EventBridgeClient | undefined;

afterEach(async () => {
  client?.destroy();
  await server?.close();
  server = undefined;
  client = undefined;
});

async function start(backend: FakeEventsBackend, options: Partial<EventsApiOptions> = {}) {
  server = await startAwsJsonServer({
    port: 0,
    services: [createEventsApi({ backend, ...options })],
  });
  client = new EventBridgeClient(clientConfig(server.url));
  return client;
}

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: "com.example.orders",
  DetailType: "OrderPlaced",
  Detail: JSON.stringify({ orderId: "o-1" }),
  ...overrides,
});

describe("PutEvents through the real EventBridge client", () => {
  it("puts a complete event on the default bus and answers its id", async () => {
    const backend = new FakeEventsBackend("default");
    const eb = await start(backend);
    const before = Date.now();
    const out = await eb.send(new PutEventsCommand({ Entries: [entry()] }));
    expect(out.FailedEntryCount).toBe(0);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const [event] = backend.events("default");
    expect(out.Entries).toEqual([{ EventId: event?.id }]);
    expect(event).toEqual({
      version: "0",
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      "detail-type": "OrderPlaced",
      source: "com.example.orders",
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: REGION,
      resources: [],
      detail: { orderId: "o-1" },
    } satisfies BusEvent);
    const time = Date.parse(event?.time ?? "");
    expect(time).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(time).toBeLessThanOrEqual(Date.now());
  });

  it("keeps the entry's Time and Resources, and finds a bus by name or ARN", async () => {
    const backend = new FakeEventsBackend("default", "orders");
    const eb = await start(backend);
    const arn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders`;
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          entry({
            EventBusName: "orders",
            Time: new Date("2022-12-21T15:37:14.250Z"),
            Resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/Orders"],
          }),
          entry({ EventBusName: arn }),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    const [first, second] = backend.events("orders");
    expect(first?.time).toBe("2022-12-21T15:37:14Z");
    expect(first?.resources).toEqual(["arn:aws:dynamodb:us-east-1:123456789012:table/Orders"]);
    expect(second?.id).toBe(out.Entries?.[1]?.EventId);
    expect(backend.events("default")).toEqual([]);
  });

  it("fails bad entries one by one, in order, putting the good ones", async () => {
    const backend = new FakeEventsBackend("default");
    const eb = await start(backend);
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          entry({ Detail: JSON.stringify({ n: 1 }) }),
          entry({ Source: undefined }),
          entry({ DetailType: undefined }),
          entry({ Detail: undefined }),
          entry({ Detail: "{not json" }),
          entry({ Detail: "[1,2,3]" }),
          entry({ Source: "aws.ec2" }),
          entry({ Detail: JSON.stringify({ n: 2 }) }),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(6);
    const [ok1, ...rest] = out.Entries ?? [];
    const ok2 = rest.pop();
    expect(rest).toEqual([
      {
        ErrorCode: "InvalidArgument",
        ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument.",
      },
      {
        ErrorCode: "InvalidArgument",
        ErrorMessage:
          "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
      },
      {
        ErrorCode: "InvalidArgument",
        ErrorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument.",
      },
      { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
      { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
      {
        ErrorCode: "NotAuthorizedForSourceException",
        ErrorMessage: "Not authorized for the source.",
      },
    ]);
    const events = backend.events("default");
    expect(events.map((e) => e.detail)).toEqual([{ n: 1 }, { n: 2 }]);
    expect([ok1?.EventId, ok2?.EventId]).toEqual(events.map((e) => e.id));
  });

  it.each([
    [0, "Member must have length greater than or equal to 1"],
    [11, "Member must have length less than or equal to 10"],
  ])("refuses a request of %i entries with ValidationException", async (count, constraint) => {
    const backend = new FakeEventsBackend("default");
    const eb = await start(backend);
    const error = await sdkError(
      eb.send(new PutEventsCommand({ Entries: Array.from({ length: count }, () => entry()) })),
    );
    expect(error).toBeInstanceOf(EventBridgeServiceException);
    expect(error.name).toBe("ValidationException");
    expect(error.message).toMatch(/^1 validation error detected: Value '\[.*\]' at 'entries'/s);
    expect(error.message).toContain(constraint);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(backend.events("default")).toEqual([]);
  });

  it("accepts exactly 10 entries", async () => {
    const backend = new FakeEventsBackend("default");
    const eb = await start(backend);
    const out = await eb.send(
      new PutEventsCommand({ Entries: Array.from({ length: 10 }, () => entry()) }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(backend.events("default")).toHaveLength(10);
  });

  it("refuses entries over 256 KB in total, counting as EventBridge does", async () => {
    const backend = new FakeEventsBackend("default");
    const eb = await start(backend);
    // Source + DetailType = 8 bytes; Detail fills the rest of 256 KiB exactly.
    const detail = (bytes: number) => JSON.stringify({ d: "x".repeat(bytes - 8) });
    const fits = entry({ Source: "src.abc", DetailType: "T", Detail: detail(262_144 - 8) });
    expect((await eb.send(new PutEventsCommand({ Entries: [fits] }))).FailedEntryCount).toBe(0);

    const error = await sdkError(
      eb.send(
        new PutEventsCommand({
          Entries: [entry({ Source: "src.abc", DetailType: "T", Detail: detail(262_144 - 7) })],
        }),
      ),
    );
    expect(error.name).toBe("ValidationException");
    expect(error.message).toBe("Total size of the entries in the request is over the limit.");

    // Spread over several entries, the total counts; a Time adds 14 bytes.
    const split = [
      entry({ Source: "src.abc", DetailType: "T", Detail: detail(131_072 - 8) }),
      entry({ Source: "src.abc", DetailType: "T", Detail: detail(131_072 - 8), Time: new Date() }),
    ];
    expect((await sdkError(eb.send(new PutEventsCommand({ Entries: split })))).name).toBe(
      "ValidationException",
    );
    expect(backend.events("default")).toHaveLength(1);
  });

  it("refuses an EventBusName EventBridge's model does not allow, naming the entry", async () => {
    const eb = await start(new FakeEventsBackend("default"));
    const error = await sdkError(
      eb.send(new PutEventsCommand({ Entries: [entry(), entry({ EventBusName: "has space" })] })),
    );
    expect(error.name).toBe("ValidationException");
    expect(error.message).toContain("Value 'has space' at 'entries.2.member.eventBusName'");
  });

  it("answers an id for a bus that does not exist and drops the event, as EventBridge does", async () => {
    const backend = new FakeEventsBackend("default");
    const dropped: string[] = [];
    const eb = await start(backend, {
      onDropped: ({ eventBusName, event }) => dropped.push(`${eventBusName}:${event.id}`),
    });
    const out = await eb.send(new PutEventsCommand({ Entries: [entry({ EventBusName: "nope" })] }));
    expect(out.FailedEntryCount).toBe(0);
    expect(dropped).toEqual([`nope:${out.Entries?.[0]?.EventId}`]);
    expect(backend.events("default")).toEqual([]);
  });

  it("fails only the entry whose bus throws", async () => {
    const backend = new FakeEventsBackend("default");
    backend.addBus("broken", () => {
      throw new Error("rule engine exploded");
    });
    const eb = await start(backend);
    const out = await eb.send(
      new PutEventsCommand({ Entries: [entry({ EventBusName: "broken" }), entry()] }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]?.ErrorCode).toBe("InternalFailure");
    expect(out.Entries?.[0]?.ErrorMessage).toContain("rule engine exploded");
    expect(backend.events("default")).toHaveLength(1);
  });

  it("answers other EventBridge operations with UnknownOperationException", async () => {
    const eb = await start(new FakeEventsBackend("default"));
    const error = await sdkError(eb.send(new DescribeEventBusCommand({ Name: "default" })));
    expect(error).toBeInstanceOf(EventBridgeServiceException);
    expect(error.name).toBe("UnknownOperationException");
    expect(error.message).toContain("AWSEvents.DescribeEventBus");
  });
});

describe("deeply nested input", () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;

  it("fails an entry whose Detail nests 6,000 levels deep with MalformedDetail, and puts the others", async () => {
    const backend = new FakeEventsBackend("default");
    const eb = await start(backend);
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [entry({ Detail: nested(6000) }), entry({ Detail: nested(1100) })],
      }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]).toEqual({
      ErrorCode: "MalformedDetail",
      ErrorMessage:
        "Detail is malformed. Reason: it nests 6000 levels deep; EventBridge processes nested JSON up to 1100 levels deep.",
    });
    const [event] = backend.events("default");
    expect(out.Entries?.[1]).toEqual({ EventId: event?.id });
    expect(JSON.stringify(event?.detail)).toBe(nested(1100));
  });

  it("refuses a request body nested deeper than any request needs, before parsing it", async () => {
    await start(new FakeEventsBackend("default"));
    const deepSource = `${"[".repeat(6000)}${"]".repeat(6000)}`;
    const res = await rawRequest(server?.url as string, {
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSEvents.PutEvents",
      },
      body: `{"Entries":[{"Source":${deepSource},"DetailType":"t","Detail":"{}"}]}`,
    });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      __type: "SerializationException",
      message:
        "The request body nests more than 32 levels deep, deeper than any request of this endpoint",
    });
  });
});
