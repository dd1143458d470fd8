import { describe, expect, it } from "vitest";
import {
  LocalQueue,
  type LocalQueueOptions,
  type MessageAttributes,
  QueueError,
} from "../../src/queues/index.js";
import { FakeClock } from "./fake-clock.js";

const ACCOUNT = "123456789012";

function makeQueue(options: Partial<LocalQueueOptions> = {}) {
  const clock = new FakeClock();
  const name = options.name ?? "orders";
  const queue = new LocalQueue({
    name,
    arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
    url: `http://127.0.0.1:4010/${ACCOUNT}/${name}`,
    clock,
    ...options,
  });
  return { queue, clock };
}

/** The QueueError a call throws, so its code and message can be asserted. */
function queueError(call: () => unknown): QueueError {
  try {
    call();
  } catch (error) {
    if (error instanceof QueueError) return error;
    throw error;
  }
  throw new Error("expected a QueueError, nothing was thrown");
}

async function rejection(promise: Promise<unknown>): Promise<QueueError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QueueError) return error;
    throw error;
  }
  throw new Error("expected a QueueError, the promise resolved");
}

describe("sending", () => {
  it("answers a message id and the MD5 of the body", () => {
    const { queue } = makeQueue();
    const sent = queue.send("hello");
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.MD5OfMessageBody).toBe("5d41402abc4b2a76b9719d911017c592");
    expect(sent.MD5OfMessageAttributes).toBeUndefined();
  });

  it.each<{ attributes: MessageAttributes; md5: string }>([
    {
      attributes: { SellerName: { DataType: "String", StringValue: "Example Store" } },
      md5: "cd28f3b68aeee4b2eac9c66f2f694b58",
    },
    {
      attributes: {
        City: { DataType: "String", StringValue: "Any City" },
        PostalCode: { DataType: "String", StringValue: "99065" },
        PricePerGallon: { DataType: "Number", StringValue: "1.99" },
        Region: { DataType: "String", StringValue: "WA" },
        SellerName: { DataType: "String", StringValue: "Example Store" },
      },
      md5: "10809b55e3d9b22c17220b7dbaf283ef",
    },
    {
      // Given out of order: the digest sorts by name.
      attributes: {
        test_attribute_name_2: { DataType: "String", StringValue: "test_attribute_value_2" },
        test_attribute_name_1: { DataType: "String", StringValue: "test_attribute_value_1" },
      },
      md5: "d53f3b558fe951154770f25cb63dbba9",
    },
    {
      attributes: {
        test_attribute_name: {
          DataType: "Binary",
          BinaryValue: Buffer.from("test_attribute_value"),
        },
      },
      md5: "23f6bd27ea87aab7dfeadcc9aebee495",
    },
  ])("computes MD5OfMessageAttributes as SQS does ($md5)", ({ attributes, md5 }) => {
    const { queue } = makeQueue();
    expect(queue.send("body", attributes).MD5OfMessageAttributes).toBe(md5);
  });

  it("refuses an empty body, characters SQS does not allow, and a body over the size limit", () => {
    const { queue } = makeQueue();
    expect(queueError(() => queue.send("")).code).toBe("MissingParameter");
    const badCharacter = queueError(() => queue.send("ok\u0001"));
    expect(badCharacter.code).toBe("InvalidMessageContents");
    expect(badCharacter.message).toContain("#x1");
    expect(queueError(() => queue.send("lone \uD800 surrogate")).code).toBe(
      "InvalidMessageContents",
    );
    expect(queue.send("tab\tnewline\n emoji \u{1F600}").MessageId).toBeTruthy();

    expect(queue.send("x".repeat(262_144)).MessageId).toBeTruthy();
    const tooBig = queueError(() => queue.send("x".repeat(262_145)));
    expect(tooBig.code).toBe("InvalidParameterValue");
    expect(tooBig.message).toContain("262144 bytes");
  });

  it("counts attributes towards the size limit", () => {
    const { queue } = makeQueue();
    const attributes = { n: { DataType: "String", StringValue: "12345" } };
    expect(queueError(() => queue.send("x".repeat(262_140), attributes)).code).toBe(
      "InvalidParameterValue",
    );
  });

  it("refuses attributes SQS refuses, naming the attribute", () => {
    const { queue } = makeQueue();
    const eleven = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]),
    );
    expect(queueError(() => queue.send("b", eleven)).message).toContain("[11]");
    for (const [name, value, expected] of [
      ["bad name", { DataType: "String", StringValue: "v" }, "bad name"],
      ["AWS.reserved", { DataType: "String", StringValue: "v" }, "AWS.reserved"],
      ["num", { DataType: "Number", StringValue: "twelve" }, "twelve"],
      ["empty", { DataType: "String", StringValue: "" }, "empty"],
      ["typed", { DataType: "Text", StringValue: "v" }, "Text"],
      ["bin", { DataType: "Binary" }, "bin"],
    ] as const) {
      const error = queueError(() => queue.send("b", { [name]: value }));
      expect(error.code).toBe("InvalidParameterValue");
      expect(error.message).toContain(expected);
    }
    expect(
      queue.send("b", { "custom.type": { DataType: "Number.float", StringValue: "1.5" } })
        .MD5OfMessageAttributes,
    ).toBeTruthy();
  });

  it("tells onMessage listeners of each message synchronously, until they unsubscribe", () => {
    const { queue } = makeQueue();
    const seen: unknown[] = [];
    const unsubscribe = queue.onMessage((notice) => seen.push(notice));
    const attributes = { kind: { DataType: "String", StringValue: "test" } };
    const sent = queue.send("first", attributes);
    expect(seen).toEqual([
      { queueName: "orders", messageId: sent.MessageId, body: "first", attributes },
    ]);
    unsubscribe();
    queue.send("second");
    expect(seen).toHaveLength(1);
  });

  it("queues the message even when a listener throws", async () => {
    const { queue } = makeQueue();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      queue.onMessage(() => {
        throw new Error("printer broke");
      });
      expect(queue.send("still queued").MessageId).toBeTruthy();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.join()).toContain("printer broke");
    expect((await queue.receive())[0]?.Body).toBe("still queued");
  });
});

describe("receiving", () => {
  it("hides a received message for the visibility timeout, then hands it out again", async () => {
    const { queue, clock } = makeQueue({ visibilityTimeoutSeconds: 45 });
    queue.send("m");
    const first = await queue.receive();
    expect(first.map((m) => m.Body)).toEqual(["m"]);
    expect(await queue.receive()).toEqual([]);
    clock.advance(44_999);
    expect(await queue.receive()).toEqual([]);
    clock.advance(1);
    const second = await queue.receive();
    expect(second.map((m) => m.Body)).toEqual(["m"]);
    expect(second[0]?.ReceiptHandle).not.toBe(first[0]?.ReceiptHandle);
    expect(second[0]?.MessageId).toBe(first[0]?.MessageId);
  });

  it("uses the receive's VisibilityTimeout over the queue's", async () => {
    const { queue, clock } = makeQueue();
    queue.send("m");
    await queue.receive({ visibilityTimeoutSeconds: 5 });
    clock.advance(5_000);
    expect(await queue.receive()).toHaveLength(1);
    // The queue's default, 30 s, applies to this receive.
    clock.advance(29_999);
    expect(await queue.receive()).toEqual([]);
  });

  it("hands out at most MaxNumberOfMessages, oldest first", async () => {
    const { queue } = makeQueue();
    for (let i = 0; i < 12; i++) queue.send(`m${i}`);
    expect((await queue.receive()).map((m) => m.Body)).toEqual(["m0"]);
    const ten = await queue.receive({ maxNumberOfMessages: 10 });
    expect(ten.map((m) => m.Body)).toEqual([
      "m1",
      "m2",
      "m3",
      "m4",
      "m5",
      "m6",
      "m7",
      "m8",
      "m9",
      "m10",
    ]);
  });

  it.each([
    [{ maxNumberOfMessages: 11 }, "MaxNumberOfMessages", "11"],
    [{ maxNumberOfMessages: 0 }, "MaxNumberOfMessages", "0"],
    [{ visibilityTimeoutSeconds: 43_201 }, "VisibilityTimeout", "43201"],
    [{ waitTimeSeconds: 21 }, "WaitTimeSeconds", "21"],
    [{ waitTimeSeconds: -1 }, "WaitTimeSeconds", "-1"],
  ])("refuses %o naming the parameter and value", async (options, parameter, value) => {
    const { queue } = makeQueue();
    const error = await rejection(queue.receive(options));
    expect(error.code).toBe("InvalidParameterValue");
    expect(error.message).toContain(`Value ${value} for parameter ${parameter} is invalid`);
  });

  it("returns the system attributes asked for, counting receives", async () => {
    const { queue, clock } = makeQueue();
    const sentAt = clock.now();
    queue.send("m");
    clock.advance(2_000);
    const [first] = await queue.receive({
      systemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
      visibilityTimeoutSeconds: 0,
    });
    expect(first?.Attributes).toEqual({
      ApproximateReceiveCount: "1",
      SentTimestamp: String(sentAt),
    });
    clock.advance(3_000);
    const [second] = await queue.receive({ systemAttributeNames: ["All"] });
    expect(second?.Attributes).toEqual({
      ApproximateReceiveCount: "2",
      SentTimestamp: String(sentAt),
      // The first receive's time, not this one's.
      ApproximateFirstReceiveTimestamp: String(sentAt + 2_000),
      SenderId: ACCOUNT,
    });
    const [whileInFlight] = await queue.receive({ visibilityTimeoutSeconds: 0 });
    expect(whileInFlight).toBeUndefined(); // the receive above hid it for 30 s
  });

  it("refuses an unknown system attribute name", async () => {
    const { queue } = makeQueue();
    const error = await rejection(queue.receive({ systemAttributeNames: ["Colour"] }));
    expect(error.code).toBe("InvalidAttributeName");
    expect(error.message).toContain("Colour");
  });

  it("returns only the message attributes asked for, with the MD5 of those", async () => {
    const { queue } = makeQueue();
    const attributes = {
      City: { DataType: "String", StringValue: "Any City" },
      PostalCode: { DataType: "String", StringValue: "99065" },
      Region: { DataType: "String", StringValue: "WA" },
      SellerName: { DataType: "String", StringValue: "Example Store" },
      "trace.id": { DataType: "String", StringValue: "t-1" },
    };
    queue.send("m", attributes);
    const receive = async (names: string[]) => {
      const [message] = await queue.receive({
        messageAttributeNames: names,
        visibilityTimeoutSeconds: 0,
      });
      return message;
    };
    expect((await receive([]))?.MessageAttributes).toBeUndefined();
    const seller = await receive(["SellerName"]);
    expect(seller?.MessageAttributes).toEqual({ SellerName: attributes.SellerName });
    expect(seller?.MD5OfMessageAttributes).toBe("cd28f3b68aeee4b2eac9c66f2f694b58");
    const four = await receive(["City", "PostalCode", "Region", "SellerName"]);
    expect(four?.MD5OfMessageAttributes).toBe("66d793da93becb551e41562575418975");
    expect(Object.keys((await receive(["trace.*"]))?.MessageAttributes ?? {})).toEqual([
      "trace.id",
    ]);
    expect(Object.keys((await receive(["All"]))?.MessageAttributes ?? {})).toHaveLength(5);
    expect(Object.keys((await receive([".*"]))?.MessageAttributes ?? {})).toHaveLength(5);
  });

  it("keeps a delayed message back until its delay has passed", async () => {
    const { queue, clock } = makeQueue({ delaySeconds: 10 });
    queue.send("queue delay");
    queue.send("own delay", {}, { delaySeconds: 0 });
    expect((await queue.receive({ maxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual([
      "own delay",
    ]);
    clock.advance(10_000);
    expect((await queue.receive()).map((m) => m.Body)).toEqual(["queue delay"]);
    expect(queueError(() => queue.send("m", {}, { delaySeconds: 901 })).message).toContain(
      "Value 901 for parameter DelaySeconds is invalid",
    );
  });
});

describe("deleting", () => {
  it("deletes with the latest receipt handle; an earlier one is accepted and deletes nothing", async () => {
    const { queue, clock } = makeQueue();
    queue.send("m");
    const [first] = await queue.receive({ visibilityTimeoutSeconds: 1 });
    clock.advance(1_000);
    const [second] = await queue.receive({ visibilityTimeoutSeconds: 1 });
    queue.delete(first?.ReceiptHandle ?? "");
    clock.advance(1_000);
    expect(await queue.receive({ visibilityTimeoutSeconds: 0 })).toHaveLength(1);
    // The third receive made `second` stale too; the freshest handle deletes.
    const [third] = await queue.receive();
    queue.delete(second?.ReceiptHandle ?? "");
    queue.delete(third?.ReceiptHandle ?? "");
    clock.advance(60_000);
    expect(await queue.receive()).toEqual([]);
    // Deleting again is no error, as in SQS.
    queue.delete(third?.ReceiptHandle ?? "");
  });

  it("refuses a receipt handle it never issued, quoting it", async () => {
    const { queue } = makeQueue();
    const error = queueError(() => queue.delete("not-a-handle"));
    expect(error.code).toBe("ReceiptHandleIsInvalid");
    expect(error.message).toContain('"not-a-handle"');

    const { queue: other } = makeQueue({ name: "other" });
    other.send("m");
    const [message] = await other.receive();
    expect(queueError(() => queue.delete(message?.ReceiptHandle ?? "")).code).toBe(
      "ReceiptHandleIsInvalid",
    );
  });
});

describe("changing visibility", () => {
  it("extends or ends the invisibility of a message in flight", async () => {
    const { queue, clock } = makeQueue();
    queue.send("m");
    const [message] = await queue.receive();
    const handle = message?.ReceiptHandle ?? "";
    queue.changeVisibility(handle, 120);
    clock.advance(119_000);
    expect(await queue.receive()).toEqual([]);
    queue.changeVisibility(handle, 0);
    expect(await queue.receive()).toHaveLength(1);
  });

  it("refuses a message that is not in flight, or is gone", async () => {
    const { queue, clock } = makeQueue();
    queue.send("m");
    const [message] = await queue.receive({ visibilityTimeoutSeconds: 1 });
    const handle = message?.ReceiptHandle ?? "";
    clock.advance(1_000);
    expect(queueError(() => queue.changeVisibility(handle, 10)).code).toBe("MessageNotInflight");
    queue.delete(handle);
    const gone = queueError(() => queue.changeVisibility(handle, 10));
    expect(gone.code).toBe("InvalidParameterValue");
    expect(gone.message).toContain("Message does not exist");
    expect(queueError(() => queue.changeVisibility("junk", 10)).code).toBe(
      "ReceiptHandleIsInvalid",
    );
    expect(queueError(() => queue.changeVisibility(handle, 43_201)).message).toContain(
      "Value 43201 for parameter VisibilityTimeout",
    );
  });
});

describe("retention", () => {
  it("drops messages after 4 days by default, in flight or not", async () => {
    const { queue, clock } = makeQueue();
    queue.send("old");
    clock.advance(1_000);
    queue.send("newer");
    clock.advance(4 * 86_400_000 - 61_000);
    expect((await queue.receive({ visibilityTimeoutSeconds: 43_200 }))[0]?.Body).toBe("old");
    clock.advance(59_999);
    expect(queue.attributes(["ApproximateNumberOfMessagesNotVisible"])).toEqual({
      ApproximateNumberOfMessagesNotVisible: "1",
    });
    clock.advance(1);
    expect(queue.attributes(["ApproximateNumberOfMessagesNotVisible"])).toEqual({
      ApproximateNumberOfMessagesNotVisible: "0",
    });
    expect((await queue.receive({ maxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual([
      "newer",
    ]);
  });

  it("keeps messages for the configured period (14 days for the DLQs)", async () => {
    const { queue, clock } = makeQueue({ retentionSeconds: 1_209_600 });
    queue.send("m");
    clock.advance(13 * 86_400_000);
    expect(await queue.receive({ visibilityTimeoutSeconds: 0 })).toHaveLength(1);
    clock.advance(86_400_000);
    expect(await queue.receive()).toEqual([]);
    expect(queue.attributes(["MessageRetentionPeriod"])).toEqual({
      MessageRetentionPeriod: "1209600",
    });
  });
});

describe("long polling", () => {
  it("resolves as soon as a message is sent, without the clock moving", async () => {
    const { queue } = makeQueue();
    const receiving = queue.receive({ waitTimeSeconds: 20 });
    await Promise.resolve();
    queue.send("arrived");
    expect((await receiving).map((m) => m.Body)).toEqual(["arrived"]);
  });

  it("resolves with no messages when the wait ends, and leaves no timer behind", async () => {
    const { queue, clock } = makeQueue();
    let result: unknown;
    const receiving = queue.receive({ waitTimeSeconds: 5 }).then((r) => {
      result = r;
    });
    clock.advance(4_999);
    await Promise.resolve();
    expect(result).toBeUndefined();
    clock.advance(1);
    await receiving;
    expect(result).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("wakes when an in-flight message becomes visible again during the wait", async () => {
    const { queue, clock } = makeQueue();
    queue.send("m");
    await queue.receive({ visibilityTimeoutSeconds: 3 });
    const receiving = queue.receive({ waitTimeSeconds: 20 });
    clock.advance(3_000);
    expect((await receiving).map((m) => m.Body)).toEqual(["m"]);
  });

  it("serves waiting receives in arrival order, one message each", async () => {
    const { queue } = makeQueue();
    const first = queue.receive({ waitTimeSeconds: 20 });
    const second = queue.receive({ waitTimeSeconds: 20 });
    queue.send("a");
    queue.send("b");
    expect((await first).map((m) => m.Body)).toEqual(["a"]);
    expect((await second).map((m) => m.Body)).toEqual(["b"]);
  });

  it("ends with no messages, taking none, when its signal aborts", async () => {
    const { queue } = makeQueue();
    const controller = new AbortController();
    const receiving = queue.receive({ waitTimeSeconds: 20, signal: controller.signal });
    controller.abort();
    expect(await receiving).toEqual([]);
    queue.send("m");
    expect(queue.attributes(["ApproximateNumberOfMessages"])).toEqual({
      ApproximateNumberOfMessages: "1",
    });
  });

  it("ends every wait on close", async () => {
    const { queue, clock } = makeQueue();
    const receiving = queue.receive({ waitTimeSeconds: 20 });
    queue.close();
    expect(await receiving).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("uses the queue's ReceiveMessageWaitTimeSeconds by default", async () => {
    const { queue, clock } = makeQueue({ receiveMessageWaitTimeSeconds: 2 });
    let done = false;
    const receiving = queue.receive().then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(2_000);
    await receiving;
    expect(done).toBe(true);
  });
});

describe("purging and attributes", () => {
  it("purges every message, at most once a minute", async () => {
    const { queue, clock } = makeQueue();
    queue.send("a");
    queue.send("b");
    await queue.receive();
    queue.purge();
    expect(queue.attributes()).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
    });
    clock.advance(59_999);
    const error = queueError(() => queue.purge());
    expect(error.code).toBe("PurgeQueueInProgress");
    expect(error.message).toContain("orders");
    clock.advance(1);
    queue.purge();
  });

  it("counts visible, in-flight and delayed messages", async () => {
    const { queue, clock } = makeQueue({ visibilityTimeoutSeconds: 60 });
    queue.send("visible");
    queue.send("in flight");
    queue.send("delayed", {}, { delaySeconds: 30 });
    await queue.receive(); // takes "visible"
    expect(queue.attributes()).toEqual({
      ApproximateNumberOfMessages: "1",
      ApproximateNumberOfMessagesNotVisible: "1",
      ApproximateNumberOfMessagesDelayed: "1",
      CreatedTimestamp: String(Math.floor(clock.now() / 1000)),
      LastModifiedTimestamp: String(Math.floor(clock.now() / 1000)),
      DelaySeconds: "0",
      MaximumMessageSize: "262144",
      MessageRetentionPeriod: "345600",
      QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`,
      ReceiveMessageWaitTimeSeconds: "0",
      VisibilityTimeout: "60",
    });
  });

  it("answers only the attributes asked for; unknown names are refused", () => {
    const { queue } = makeQueue();
    expect(queue.attributes(["QueueArn", "Policy"])).toEqual({
      QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`,
    });
    const error = queueError(() => queue.attributes(["Colour"]));
    expect(error.code).toBe("InvalidAttributeName");
    expect(error.message).toContain("Colour");
  });
});

describe("construction", () => {
  it("refuses an ARN that does not name the queue, and out-of-range settings", () => {
    expect(() => makeQueue({ arn: "arn:aws:sqs:us-east-1:123456789012:other" })).toThrow(
      /orders.*arn:aws:sqs:us-east-1:123456789012:other/,
    );
    expect(() => makeQueue({ retentionSeconds: 1_209_601 })).toThrow(/1209601.*60 to 1209600/);
    expect(() => makeQueue({ visibilityTimeoutSeconds: -1 })).toThrow(/VisibilityTimeout/);
  });
});
