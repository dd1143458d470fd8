import { describe, expect, it } from "vitest";
import type { BusEvent } from "../src/bus-event.js";
import {
  eventEntrySize,
  eventOversize,
  invokeOversize,
  messageOversize,
  oversizeNotice,
} from "../src/engine/destination-limits.js";
import type { InvocationRecord } from "../src/engine/invocation-record.js";

const record = (responsePayload: unknown): InvocationRecord => ({
  version: "1.0",
  timestamp: "2026-11-30T10:00:00.000Z",
  requestContext: {
    requestId: "r-1",
    functionArn: "arn:aws:lambda:eu-west-1:111122223333:function:orders:live",
    condition: "Success",
    approximateInvokeCount: 1,
  },
  requestPayload: {},
  responseContext: { statusCode: 200, executedVersion: "1" },
  responsePayload,
});

describe("destination size limits", () => {
  it("counts an event as PutEvents counts an entry: 14 for Time, then UTF-8 bytes", () => {
    const event: BusEvent = {
      version: "0",
      id: "not counted",
      "detail-type": "Ü",
      source: "lambda",
      account: "111122223333",
      time: "2026-11-30T10:00:00Z",
      region: "eu-west-1",
      resources: ["ab", "c"],
      detail: { a: 1 },
    };
    expect(eventEntrySize(event)).toBe(14 + 6 + 2 + '{"a":1}'.length + 3);
    expect(eventOversize(event)).toBeUndefined();
    const big = { ...event, detail: { pad: "x".repeat(256 * 1024) } };
    expect(eventOversize(big)).toMatchObject({ limitBytes: 262_144 });
  });

  it("holds a queue message to that queue's MaximumMessageSize, else SQS's default", () => {
    const queues = [
      {
        name: "big",
        arn: "arn:big",
        url: "u",
        retentionSeconds: 60,
        visibilityTimeoutSeconds: 30,
        maximumMessageSizeBytes: 1_048_576,
      },
    ];
    const body = "x".repeat(300 * 1024);
    expect(messageOversize(body, "arn:big", queues)).toBeUndefined();
    expect(messageOversize(body, "arn:other", queues)).toEqual({
      sizeBytes: 307_200,
      limitBytes: 262_144,
      limitOf: "the queue's MaximumMessageSize",
    });
  });

  it("holds a function destination's record to Lambda's 1 MB asynchronous payload limit", () => {
    expect(invokeOversize(record("x".repeat(1000 * 1024)))).toBeUndefined();
    const oversize = invokeOversize(record("x".repeat(1024 * 1024)));
    expect(oversize?.limitBytes).toBe(1_048_576);
    expect(
      oversizeNotice(record("big"), "arn:aws:lambda:eu-west-1:111122223333:function:audit", {
        sizeBytes: 2_000_000,
        limitBytes: 1_048_576,
        limitOf: "Lambda's asynchronous invocation payload",
      }),
    ).toBe(
      "arn:aws:lambda:eu-west-1:111122223333:function:orders:live: the Success record is 2000000 bytes, over Lambda's asynchronous invocation payload limit of 1048576 bytes, so it is not delivered to arn:aws:lambda:eu-west-1:111122223333:function:audit (AWS counts a DestinationDeliveryFailures metric and drops it)",
    );
  });
});
