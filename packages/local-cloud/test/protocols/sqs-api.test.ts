import {
  BatchEntryIdsNotDistinct,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  EmptyBatchRequest,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidAddress,
  InvalidAttributeName,
  ListQueuesCommand,
  MessageNotInflight,
  PurgeQueueCommand,
  PurgeQueueInProgress,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
  TooManyEntriesInBatchRequest,
  UnsupportedOperation,
} from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import {
  createSqsApi,
  type RunningAwsJsonServer,
  startAwsJsonServer,
} from "../../src/protocols/index.js";
import { QueueStore } from "../../src/queues/index.js";
import { FakeClock } from "../queues/fake-clock.js";
import { ACCOUNT, clientConfig, REGION, rawRequest, sdkError } from "./helpers.js";

let server: RunningAwsJsonServer | undefined;
let client: SQSClient | undefined;

afterEach(async () => {
  client?.destroy();
  await server?.close();
  server = undefined;
  client = undefined;
});

async function start(...names: string[]) {
  const clock = new FakeClock();
  const store = new QueueStore({ clock });
  server = await startAwsJsonServer({ port: 0, services: [createSqsApi({ store })] });
  const urls: Record<string, string> = {};
  for (const name of names) {
    urls[name] = `${server.url}/${ACCOUNT}/${name}`;
    store.create({ name, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`, url: urls[name] });
  }
  client = new SQSClient(clientConfig(server.url));
  return { sqs: client, store, clock, urls, url: server.url };
}

describe("SQS through the real SQS client", () => {
  it("sends and receives a message with attributes, MD5s checked by the SDK", async () => {
    const { sqs, urls } = await start("orders");
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: urls.orders,
        MessageBody: '{"orderId":"o-1","note":"héllo €"}',
        MessageAttributes: {
          SellerName: { DataType: "String", StringValue: "Example Store" },
          Price: { DataType: "Number", StringValue: "1.99" },
          Blob: { DataType: "Binary", BinaryValue: Uint8Array.of(0, 1, 2, 255) },
        },
      }),
    );
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);

    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: urls.orders,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    const [message] = received.Messages ?? [];
    expect(message?.MessageId).toBe(sent.MessageId);
    expect(message?.Body).toBe('{"orderId":"o-1","note":"héllo €"}');
    expect(message?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(message?.MessageAttributes?.SellerName).toEqual({
      DataType: "String",
      StringValue: "Example Store",
    });
    expect(message?.MessageAttributes?.Price?.StringValue).toBe("1.99");
    expect([...(message?.MessageAttributes?.Blob?.BinaryValue ?? [])]).toEqual([0, 1, 2, 255]);
    expect(message?.Attributes).toMatchObject({
      ApproximateReceiveCount: "1",
      SenderId: ACCOUNT,
      SentTimestamp: expect.stringMatching(/^\d{13}$/),
    });
  });

  it("answers the documented MD5OfMessageAttributes", async () => {
    const { sqs, urls } = await start("orders");
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: urls.orders,
        MessageBody: "b",
        MessageAttributes: { SellerName: { DataType: "String", StringValue: "Example Store" } },
      }),
    );
    expect(sent.MD5OfMessageBody).toBe("92eb5ffee6ae2fec3ad71c777531578f");
    expect(sent.MD5OfMessageAttributes).toBe("cd28f3b68aeee4b2eac9c66f2f694b58");
  });

  it("deletes a received message, and counts messages in GetQueueAttributes", async () => {
    const { sqs, urls } = await start("orders");
    for (const body of ["a", "b", "c"]) {
      await sqs.send(new SendMessageCommand({ QueueUrl: urls.orders, MessageBody: body }));
    }
    await sqs.send(
      new SendMessageCommand({ QueueUrl: urls.orders, MessageBody: "later", DelaySeconds: 60 }),
    );
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: urls.orders, MaxNumberOfMessages: 2 }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(["a", "b"]);
    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl: urls.orders,
        ReceiptHandle: Messages[0]?.ReceiptHandle,
      }),
    );
    const counts = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: urls.orders,
        AttributeNames: [
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesDelayed",
        ],
      }),
    );
    expect(counts.Attributes).toEqual({
      ApproximateNumberOfMessages: "1",
      ApproximateNumberOfMessagesNotVisible: "1",
      ApproximateNumberOfMessagesDelayed: "1",
    });
    const all = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: urls.orders, AttributeNames: ["All"] }),
    );
    expect(all.Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`,
      VisibilityTimeout: "30",
      MessageRetentionPeriod: "345600",
    });
    const none = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: urls.orders }));
    expect(none.Attributes).toBeUndefined();
  });

  it("hides a message for ChangeMessageVisibility's timeout", async () => {
    const { sqs, urls, clock } = await start("orders");
    await sqs.send(new SendMessageCommand({ QueueUrl: urls.orders, MessageBody: "m" }));
    const [message] =
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.orders }))).Messages ?? [];
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: urls.orders,
        ReceiptHandle: message?.ReceiptHandle,
        VisibilityTimeout: 300,
      }),
    );
    clock.advance(299_000);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.orders }))).Messages).toBe(
      undefined,
    );
    clock.advance(1_000);
    const [again] =
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: urls.orders,
            MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          }),
        )
      ).Messages ?? [];
    expect(again?.Attributes?.ApproximateReceiveCount).toBe("2");
  });

  it("finds queue URLs by name, and lists them by prefix, page by page", async () => {
    const { sqs, urls } = await start("orders", "orders-dlq", "payments");
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: "orders" }))).QueueUrl).toBe(
      urls.orders,
    );
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual([
      urls.orders,
      urls["orders-dlq"],
      urls.payments,
    ]);
    expect(
      (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "orders" }))).QueueUrls,
    ).toEqual([urls.orders, urls["orders-dlq"]]);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "x" }))).QueueUrls).toBe(
      undefined,
    );
    const first = await sqs.send(new ListQueuesCommand({ MaxResults: 2 }));
    expect(first.QueueUrls).toEqual([urls.orders, urls["orders-dlq"]]);
    const second = await sqs.send(
      new ListQueuesCommand({ MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.QueueUrls).toEqual([urls.payments]);
    expect(second.NextToken).toBeUndefined();
  });

  it("accepts the AWS URL of a queue the app was configured with", async () => {
    const { sqs } = await start("orders");
    const awsUrl = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders`;
    await sqs.send(new SendMessageCommand({ QueueUrl: awsUrl, MessageBody: "via aws url" }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: awsUrl }));
    expect(Messages?.[0]?.Body).toBe("via aws url");
  });

  it("tells the store's listeners of messages sent through the API", async () => {
    const { sqs, store, urls } = await start("orders");
    const seen: string[] = [];
    store.onMessage((notice) => seen.push(`${notice.queueName}:${notice.body}`));
    await sqs.send(new SendMessageCommand({ QueueUrl: urls.orders, MessageBody: "hi" }));
    expect(seen).toEqual(["orders:hi"]);
  });

  it("sends and deletes in batches, failing bad entries alone", async () => {
    const { sqs, urls } = await start("orders");
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: urls.orders,
        Entries: [
          { Id: "good-1", MessageBody: "one" },
          { Id: "bad", MessageBody: "bell \u0007" },
          { Id: "good_2", MessageBody: "two", DelaySeconds: 0 },
        ],
      }),
    );
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(["good-1", "good_2"]);
    expect(sent.Failed).toEqual([
      {
        Id: "bad",
        SenderFault: true,
        Code: "InvalidMessageContents",
        Message: expect.stringContaining("#x7"),
      },
    ]);

    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: urls.orders, MaxNumberOfMessages: 10 }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(["one", "two"]);
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: urls.orders,
        Entries: [
          { Id: "a", ReceiptHandle: Messages[0]?.ReceiptHandle },
          { Id: "b", ReceiptHandle: "forged" },
          { Id: "c", ReceiptHandle: Messages[1]?.ReceiptHandle },
        ],
      }),
    );
    expect(deleted.Successful).toEqual([{ Id: "a" }, { Id: "c" }]);
    expect(deleted.Failed).toEqual([
      {
        Id: "b",
        SenderFault: true,
        Code: "ReceiptHandleIsInvalid",
        Message: 'The input receipt handle "forged" is not a valid receipt handle.',
      },
    ]);
  });

  it("refuses malformed batches as a whole", async () => {
    const { sqs, urls } = await start("orders");
    const batch = (count: number, id = (i: number) => `e${i}`) =>
      new SendMessageBatchCommand({
        QueueUrl: urls.orders,
        Entries: Array.from({ length: count }, (_, i) => ({ Id: id(i), MessageBody: "m" })),
      });
    const tooMany = await sdkError(sqs.send(batch(11)));
    expect(tooMany).toBeInstanceOf(TooManyEntriesInBatchRequest);
    expect(tooMany.message).toContain("You have sent 11");
    expect(await sdkError(sqs.send(batch(0)))).toBeInstanceOf(EmptyBatchRequest);
    expect(await sdkError(sqs.send(batch(2, () => "same")))).toBeInstanceOf(
      BatchEntryIdsNotDistinct,
    );
    const big = await sdkError(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: urls.orders,
          Entries: [
            { Id: "a", MessageBody: "x".repeat(200_000) },
            { Id: "b", MessageBody: "x".repeat(100_000) },
          ],
        }),
      ),
    );
    expect(big.name).toBe("BatchRequestTooLong");
    expect(big.message).toContain("300000 bytes");
  });

  it("long polls until a message arrives", async () => {
    const { sqs, store, urls } = await start("orders");
    const receiving = sqs.send(
      new ReceiveMessageCommand({ QueueUrl: urls.orders, WaitTimeSeconds: 20 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    store.find("orders")?.send("late");
    expect((await receiving).Messages?.map((m) => m.Body)).toEqual(["late"]);
  });

  it("long polls until the wait ends, then answers no messages", async () => {
    const { sqs, urls, clock } = await start("orders");
    const receiving = sqs.send(
      new ReceiveMessageCommand({ QueueUrl: urls.orders, WaitTimeSeconds: 20 }),
    );
    for (let i = 0; i < 100 && clock.pendingTimers === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    clock.advance(20_000);
    const out = await receiving;
    expect(out.Messages).toBeUndefined();
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it("ends a long poll with no messages when the server closes", async () => {
    const { sqs, urls } = await start("orders");
    const receiving = sqs.send(
      new ReceiveMessageCommand({ QueueUrl: urls.orders, WaitTimeSeconds: 20 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    await server?.close();
    expect((await receiving).Messages).toBeUndefined();
  });
});

describe("SQS errors as the SQS client knows them", () => {
  it("QueueDoesNotExist for an unknown queue, by URL or name", async () => {
    const { sqs, url } = await start("orders");
    const byUrl = await sdkError(
      sqs.send(new SendMessageCommand({ QueueUrl: `${url}/${ACCOUNT}/nope`, MessageBody: "m" })),
    );
    expect(byUrl).toBeInstanceOf(QueueDoesNotExist);
    expect(byUrl.message).toBe("The specified queue does not exist.");
    expect(byUrl.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(await sdkError(sqs.send(new GetQueueUrlCommand({ QueueName: "nope" })))).toBeInstanceOf(
      QueueDoesNotExist,
    );
    expect(
      await sdkError(
        sqs.send(
          new GetQueueUrlCommand({ QueueName: "orders", QueueOwnerAWSAccountId: "999999999999" }),
        ),
      ),
    ).toBeInstanceOf(QueueDoesNotExist);
  });

  it("InvalidAddress for a QueueUrl that is not a URL", async () => {
    const { sqs } = await start("orders");
    const error = await sdkError(
      sqs.send(new SendMessageCommand({ QueueUrl: "orders", MessageBody: "m" })),
    );
    expect(error).toBeInstanceOf(InvalidAddress);
    expect(error.message).toContain("orders");
  });

  it("ReceiptHandleIsInvalid for a handle the queue never issued", async () => {
    const { sqs, urls } = await start("orders");
    const error = await sdkError(
      sqs.send(new DeleteMessageCommand({ QueueUrl: urls.orders, ReceiptHandle: "bogus" })),
    );
    expect(error).toBeInstanceOf(ReceiptHandleIsInvalid);
    expect(error.message).toContain('"bogus"');
  });

  it("InvalidParameterValue naming the value for MaxNumberOfMessages 11", async () => {
    const { sqs, urls } = await start("orders");
    const error = await sdkError(
      sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.orders, MaxNumberOfMessages: 11 })),
    );
    expect(error).toBeInstanceOf(SQSServiceException);
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toBe(
      "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
    );
  });

  it("MessageNotInflight, PurgeQueueInProgress and InvalidAttributeName", async () => {
    const { sqs, urls, clock } = await start("orders");
    await sqs.send(new SendMessageCommand({ QueueUrl: urls.orders, MessageBody: "m" }));
    const [message] =
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.orders, VisibilityTimeout: 1 })))
        .Messages ?? [];
    clock.advance(1_000);
    const notInFlight = await sdkError(
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: urls.orders,
          ReceiptHandle: message?.ReceiptHandle,
          VisibilityTimeout: 10,
        }),
      ),
    );
    expect(notInFlight).toBeInstanceOf(MessageNotInflight);

    await sqs.send(new PurgeQueueCommand({ QueueUrl: urls.orders }));
    expect(
      await sdkError(sqs.send(new PurgeQueueCommand({ QueueUrl: urls.orders }))),
    ).toBeInstanceOf(PurgeQueueInProgress);

    const unknown = await sdkError(
      sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: urls.orders,
          AttributeNames: ["Colour" as "All"],
        }),
      ),
    );
    expect(unknown).toBeInstanceOf(InvalidAttributeName);
    expect(unknown.message).toContain("Colour");
  });

  it("MissingParameter for a send without a body", async () => {
    const { sqs, urls } = await start("orders");
    const error = await sdkError(
      sqs.send(new SendMessageCommand({ QueueUrl: urls.orders, MessageBody: "" })),
    );
    expect(error.name).toBe("MissingParameter");
  });

  it("UnsupportedOperation for operations the local queues do not offer", async () => {
    const { sqs } = await start("orders");
    const error = await sdkError(sqs.send(new CreateQueueCommand({ QueueName: "new" })));
    expect(error).toBeInstanceOf(UnsupportedOperation);
    expect(error.message).toContain("CreateQueue");
  });

  it("sends SQS's JSON error shape and Query code header", async () => {
    const { url } = await start("orders");
    const res = await rawRequest(url, {
      headers: {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AmazonSQS.GetQueueUrl",
      },
      body: JSON.stringify({ QueueName: "nope" }),
    });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("application/x-amz-json-1.0");
    expect(res.headers["x-amzn-query-error"]).toBe(
      "AWS.SimpleQueueService.NonExistentQueue;Sender",
    );
    expect(res.json()).toEqual({
      __type: "com.amazonaws.sqs#QueueDoesNotExist",
      message: "The specified queue does not exist.",
    });
  });
});
