import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MalformedEventError } from "../src/event.js";
import { handler } from "../src/index.js";

afterEach(() => vi.restoreAllMocks());

/** An event as the rule delivers it (the seed's example), with fields replaced. */
function busEvent(changes: Record<string, unknown> = {}) {
  return {
    version: "0",
    id: "60e07636-af17-4ca4-4d75-7df75930ae25",
    "detail-type": "Details",
    source: "toanother",
    account: "123456789012",
    time: "2022-12-21T15:32:01Z",
    region: "eu-west-1",
    resources: [],
    detail: { message: "Hello World" },
    ...changes,
  };
}

function invoke(event: unknown) {
  return Promise.resolve(handler(event, {} as Context, () => {}));
}

describe("handler", () => {
  it("answers an EventBridge event with the seed's contract and prints it as it arrived", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const event = busEvent();
    expect(await invoke(event)).toEqual({ statusCode: 200, reponse: "Hello Lambda" });
    expect(log).toHaveBeenCalledWith(`Hello AWS! event = ${JSON.stringify(event)}`);
  });

  it("answers a direct invocation, whose payload is the detail (the seed's local call)", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const result = await invoke({ message: "Hello World" });
    expect(log).toHaveBeenCalledWith('Hello AWS! event = {"message":"Hello World"}');
    expect(result).toEqual({ statusCode: 200, reponse: "Hello Lambda" });
  });

  it("accepts backtosource's success result, as its subscription delivers it", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const functionArn = "arn:aws:lambda:eu-west-1:123456789012:function:backtosource-fn:live";
    const result = busEvent({
      source: "lambda",
      "detail-type": "Lambda Function Invocation Result - Success",
      resources: ["arn:aws:events:eu-west-1:123456789012:event-bus/source_bus", functionArn],
      detail: {
        version: "1.0",
        timestamp: "2022-12-21T15:37:14.621Z",
        requestContext: {
          requestId: "r",
          functionArn,
          condition: "Success",
          approximateInvokeCount: 1,
        },
        requestPayload: busEvent(),
        responseContext: { statusCode: 200, executedVersion: "1" },
        responsePayload: { statusCode: 200, reponse: "Hello Lambda" },
      },
    });
    expect(await invoke(result)).toEqual({ statusCode: 200, reponse: "Hello Lambda" });
  });

  it.each([
    ["a detail without message", busEvent({ detail: { id: 7 } })],
    ["a replayed event (EventBridge adds replay-name)", busEvent({ "replay-name": "replay-1" })],
    ["a direct payload with other fields", { n: 2 }],
    ["a direct payload with fields an envelope also has", { id: 7, source: "shop", time: "now" }],
  ])("accepts %s", async (_what, event) => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await invoke(event)).toEqual({ statusCode: 200, reponse: "Hello Lambda" });
  });
});

describe("handler rejections", () => {
  const cases: Array<[string, unknown, string]> = [
    [
      "a message that is no string",
      busEvent({ detail: { message: 42 } }),
      "detail.message is 42 (expected string)",
    ],
    [
      "a detail that is no object",
      busEvent({ detail: "hello" }),
      'detail is "hello" (expected object)',
    ],
    ["no detail", busEvent({ detail: undefined }), "detail is missing (expected object)"],
    [
      "an account that is not 12 digits",
      busEvent({ account: "1234" }),
      'account is "1234" (expected a 12-digit account id)',
    ],
    [
      "a time that is no date",
      busEvent({ time: "yesterday" }),
      'time is "yesterday" (expected an ISO 8601 date-time)',
    ],
    [
      "resources that are no list",
      busEvent({ resources: "arn" }),
      'resources is "arn" (expected array)',
    ],
    [
      "a resource that is no string",
      busEvent({ resources: [1] }),
      "resources.0 is 1 (expected string)",
    ],
    [
      "two wrong fields, both named",
      busEvent({ source: 5, region: null }),
      "source is 5 (expected string); region is null (expected string)",
    ],
    [
      "half an envelope",
      { source: "toanother", detail: { message: "Hello World" } },
      "version is missing (expected string); id is missing (expected string); detail-type is missing (expected string); account is missing (expected string); time is missing (expected an ISO 8601 date-time); region is missing (expected string); resources is missing (expected array)",
    ],
    [
      "a direct message that is no string",
      { message: ["Hello"] },
      'message is ["Hello"] (expected string)',
    ],
    ["null", null, "the event is null (expected object)"],
    ["a string", "Hello World", 'the event is "Hello World" (expected object)'],
    ["a list", [1, 2], "the event is [1,2] (expected object)"],
    [
      "a long value, shown cut short",
      { message: { text: "x".repeat(100) } },
      `message is {"text":"${"x".repeat(48)}... (expected string)`,
    ],
  ];

  it.each(cases)(
    "throws MalformedEventError on %s, naming the field and what is expected",
    async (_what, event, message) => {
      vi.spyOn(console, "log").mockImplementation(() => {});
      const failure = await invoke(event).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MalformedEventError);
      expect(failure).toBeInstanceOf(Error);
      // What the runtime reports as errorType and errorMessage.
      expect((failure as Error).name).toBe("MalformedEventError");
      expect((failure as Error).message).toBe(message);
    },
  );

  it("prints a rejected event before rejecting it, so the log shows what arrived", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await invoke({ message: 1 }).catch(() => {});
    expect(log).toHaveBeenCalledWith('Hello AWS! event = {"message":1}');
  });
});
