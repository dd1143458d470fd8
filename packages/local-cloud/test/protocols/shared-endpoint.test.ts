import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { expect, it } from "vitest";
import { createEventsApi, createSqsApi, startAwsJsonServer } from "../../src/protocols/index.js";
import { QueueStore } from "../../src/queues/index.js";
import { ACCOUNT, clientConfig, FakeEventsBackend, REGION } from "./helpers.js";

it("serves the EventBridge and SQS clients on one endpoint", async () => {
  const backend = new FakeEventsBackend("default");
  const store = new QueueStore();
  const url = "http://127.0.0.1:1/123456789012/orders";
  store.create({ name: "orders", arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`, url });
  const server = await startAwsJsonServer({
    services: [createEventsApi({ backend }), createSqsApi({ store })],
  });
  const eventBridge = new EventBridgeClient(clientConfig(server.url));
  const sqs = new SQSClient(clientConfig(server.url));
  try {
    const put = await eventBridge.send(
      new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }),
    );
    expect(put.FailedEntryCount).toBe(0);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(Messages?.[0]?.Body).toBe("m");
    expect(backend.events("default")).toHaveLength(1);
  } finally {
    eventBridge.destroy();
    sqs.destroy();
    await server.close();
  }
});
