import { describe, expect, it } from "vitest";
import {
  entrySize,
  entryToEvent,
  formatEventTime,
  type PutEventsEntry,
} from "../../src/protocols/put-events-entry.js";

const context = {
  account: "123456789012",
  region: "eu-west-1",
  now: Date.UTC(2022, 11, 21, 15, 37, 14, 999),
  newId: () => "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
};

const valid: PutEventsEntry = {
  Source: "com.example.orders",
  DetailType: "OrderPlaced",
  Detail: '{"orderId":"o-1","total":12.5}',
};

describe("entryToEvent", () => {
  it("fills every field as EventBridge does", () => {
    expect(entryToEvent(valid, context)).toEqual({
      ok: true,
      eventBusName: "default",
      event: {
        version: "0",
        id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "OrderPlaced",
        source: "com.example.orders",
        account: "123456789012",
        time: "2022-12-21T15:37:14Z",
        region: "eu-west-1",
        resources: [],
        detail: { orderId: "o-1", total: 12.5 },
      },
    });
  });

  it("takes the entry's Time (epoch seconds), resources and bus", () => {
    const result = entryToEvent(
      {
        ...valid,
        Time: Date.UTC(2020, 1, 29, 23, 59, 59) / 1000 + 0.75,
        Resources: ["arn:aws:s3:::bucket", "not-an-arn"],
        EventBusName: "orders",
      },
      context,
    );
    expect(result.ok && result.event.time).toBe("2020-02-29T23:59:59Z");
    expect(result.ok && result.event.resources).toEqual(["arn:aws:s3:::bucket", "not-an-arn"]);
    expect(result.ok && result.eventBusName).toBe("orders");
  });

  it.each([
    [{ DetailType: "T", Detail: "{}" }, "Source"],
    [{ Source: "", DetailType: "T", Detail: "{}" }, "Source"],
    [{ Source: "s", Detail: "{}" }, "DetailType"],
    [{ Source: "s", DetailType: "T" }, "Detail"],
    [{ Source: "s", DetailType: "T", Detail: "" }, "Detail"],
    [{}, "Source"],
  ])("fails %o with InvalidArgument naming %s", (entry, member) => {
    expect(entryToEvent(entry, context)).toEqual({
      ok: false,
      failure: {
        ErrorCode: "InvalidArgument",
        ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.`,
      },
    });
  });

  it.each(["not json", "[1,2]", '"a string"', "42", "null", "{broken"])(
    "fails Detail %s as malformed",
    (detail) => {
      expect(entryToEvent({ ...valid, Detail: detail }, context)).toEqual({
        ok: false,
        failure: { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
      });
    },
  );

  it("accepts a Detail nested 1100 levels deep, EventBridge's documented most", () => {
    const detail = nested(1100);
    const result = entryToEvent({ ...valid, Detail: detail }, context);
    expect(result.ok && JSON.stringify(result.event.detail)).toBe(detail);
  });

  it.each([1101, 6000, 200_000])(
    "fails a Detail nested %i levels deep as malformed, saying why",
    (depth) => {
      expect(entryToEvent({ ...valid, Detail: nested(depth) }, context)).toEqual({
        ok: false,
        failure: {
          ErrorCode: "MalformedDetail",
          ErrorMessage: `Detail is malformed. Reason: it nests ${depth} levels deep; EventBridge processes nested JSON up to 1100 levels deep.`,
        },
      });
    },
  );

  it("counts nesting in objects and arrays, not in strings", () => {
    const detail = `{"a":[${"[".repeat(1098)}"${"{[".repeat(5000)}"${"]".repeat(1098)}]}`;
    expect(entryToEvent({ ...valid, Detail: detail }, context).ok).toBe(true);
  });

  it("refuses the aws. source namespace", () => {
    const result = entryToEvent({ ...valid, Source: "aws.s3" }, context);
    expect(result.ok ? undefined : result.failure.ErrorCode).toBe(
      "NotAuthorizedForSourceException",
    );
  });
});

describe("entrySize", () => {
  it("counts UTF-8 bytes of Source, DetailType, Detail and resources, and 14 for a Time", () => {
    expect(entrySize({ Source: "ab", DetailType: "é", Detail: "{}" })).toBe(2 + 2 + 2);
    expect(entrySize({ Source: "ab", DetailType: "c", Detail: "{}", Time: 0 })).toBe(5 + 14);
    expect(entrySize({ Source: "a", DetailType: "b", Resources: ["xyz", "€"] })).toBe(2 + 3 + 3);
  });
});

describe("formatEventTime", () => {
  it("is UTC to the second", () => {
    expect(formatEventTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe("2024-01-02T03:04:05Z");
  });
});

/** A JSON object `depth` levels deep: {"a":{"a":…{}…}}. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;
}
