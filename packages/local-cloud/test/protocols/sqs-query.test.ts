import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEventsApi,
  createSqsApi,
  type RunningAwsJsonServer,
  startAwsJsonServer,
} from "../../src/protocols/index.js";
import { MAX_QUERY_PARAMETERS } from "../../src/protocols/query-protocol.js";
import { QueueStore } from "../../src/queues/index.js";
import { ACCOUNT, FakeEventsBackend, REGION, rawRequest } from "./helpers.js";

const NS = "http://queue.amazonaws.com/doc/2012-11-05/";
const FORM = { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" };

let server: RunningAwsJsonServer;
let store: QueueStore;
let ordersUrl: string;

beforeAll(async () => {
  store = new QueueStore();
  server = await startAwsJsonServer({
    port: 0,
    services: [
      createEventsApi({ backend: new FakeEventsBackend("default") }),
      createSqsApi({ store }),
    ],
  });
  ordersUrl = `${server.url}/${ACCOUNT}/orders`;
  store.create({ name: "orders", arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`, url: ordersUrl });
});

afterAll(() => server.close());

function query(params: Record<string, string>, path = "/") {
  return rawRequest(server.url, {
    path,
    headers: FORM,
    body: new URLSearchParams({ Version: "2012-11-05", ...params }).toString(),
  });
}

/** The RequestId every answer ends with, which is also the x-amzn-RequestId header. */
function requestIdOf(res: { text: string; headers: Record<string, unknown> }) {
  const id = /<RequestId>([^<]+)<\/RequestId>/.exec(res.text)?.[1];
  expect(id).toBe(res.headers["x-amzn-requestid"]);
  return id;
}

describe("SQS's Query protocol on the wire", () => {
  it("answers ListQueues in SQS's XML", async () => {
    const res = await query({ Action: "ListQueues" });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/xml");
    const id = requestIdOf(res);
    expect(res.text).toBe(
      `<?xml version="1.0"?><ListQueuesResponse xmlns="${NS}"><ListQueuesResult><QueueUrl>${ordersUrl}</QueueUrl></ListQueuesResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></ListQueuesResponse>`,
    );
  });

  it("answers an operation without output with ResponseMetadata only", async () => {
    const res = await query({ Action: "PurgeQueue", QueueUrl: ordersUrl });
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      `<?xml version="1.0"?><PurgeQueueResponse xmlns="${NS}"><ResponseMetadata><RequestId>${requestIdOf(res)}</RequestId></ResponseMetadata></PurgeQueueResponse>`,
    );
  });

  it("answers a queue that does not exist with SQS's ErrorResponse and 400", async () => {
    const res = await query({ Action: "GetQueueUrl", QueueName: "nope" });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      `<?xml version="1.0"?><ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message><Detail/></Error><RequestId>${requestIdOf(res)}</RequestId></ErrorResponse>`,
    );
  });

  it("answers errors with their own status: InvalidAddress is 404", async () => {
    const res = await query({ Action: "PurgeQueue", QueueUrl: "not a url" });
    expect(res.status).toBe(404);
    expect(res.text).toContain("<Code>InvalidAddress</Code>");
  });

  it("reads flattened lists and maps: attribute names, message attributes", async () => {
    const sent = await query({
      Action: "SendMessage",
      QueueUrl: ordersUrl,
      MessageBody: "a & b",
      "MessageAttribute.1.Name": "Kind",
      "MessageAttribute.1.Value.DataType": "String",
      "MessageAttribute.1.Value.StringValue": "x<y",
      "MessageAttribute.2.Name": "Raw",
      "MessageAttribute.2.Value.DataType": "Binary",
      "MessageAttribute.2.Value.BinaryValue": "AAE=",
    });
    expect(sent.status).toBe(200);
    expect(sent.text).toMatch(/<MD5OfMessageAttributes>[0-9a-f]{32}<\/MD5OfMessageAttributes>/);
    const received = await query({
      Action: "ReceiveMessage",
      QueueUrl: ordersUrl,
      "AttributeName.1": "ApproximateReceiveCount",
      "MessageAttributeName.1": "All",
      MaxNumberOfMessages: "10",
    });
    expect(received.status).toBe(200);
    expect(received.text).toContain("<Body>a &amp; b</Body>");
    expect(received.text).toContain(
      "<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>",
    );
    expect(received.text).toContain(
      "<MessageAttribute><Name>Kind</Name><Value><DataType>String</DataType><StringValue>x&lt;y</StringValue></Value></MessageAttribute>",
    );
    expect(received.text).toContain(
      "<MessageAttribute><Name>Raw</Name><Value><DataType>Binary</DataType><BinaryValue>AAE=</BinaryValue></Value></MessageAttribute>",
    );
    const empty = await query({ Action: "ReceiveMessage", QueueUrl: ordersUrl });
    expect(empty.text).toContain("<ReceiveMessageResult></ReceiveMessageResult>");
  });

  it("takes the queue from the path when a request is POSTed to the queue's URL", async () => {
    const res = await query(
      { Action: "GetQueueAttributes", "AttributeName.1": "QueueArn" },
      `/${ACCOUNT}/orders`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      `<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:${REGION}:${ACCOUNT}:orders</Value></Attribute>`,
    );
  });

  it("serves GET with the parameters in the query string", async () => {
    const res = await rawRequest(server.url, {
      method: "GET",
      path: "/?Action=ListQueues&QueueNamePrefix=ord",
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<QueueUrl>${ordersUrl}</QueueUrl>`);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "NoSuchAction"])(
    "answers Action=%s with 400 InvalidAction",
    async (action) => {
      const res = await query({ Action: action, QueueUrl: ordersUrl });
      expect(res.status).toBe(400);
      expect(res.text).toContain("<Code>InvalidAction</Code>");
      expect(res.text).toContain(
        `<Message>The action ${action} is not valid for this web service.</Message>`,
      );
    },
  );

  it("answers a request without Action with MissingAction", async () => {
    const res = await query({ QueueUrl: ordersUrl });
    expect(res.status).toBe(400);
    expect(res.text).toContain("<Code>MissingAction</Code>");
  });

  it("answers an operation the local SQS leaves out with UnsupportedOperation", async () => {
    const res = await query({ Action: "CreateQueue", QueueName: "new" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("<Code>AWS.SimpleQueueService.UnsupportedOperation</Code>");
  });

  it("answers an integer parameter that is not one with InvalidParameterValue", async () => {
    const res = await query({
      Action: "ReceiveMessage",
      QueueUrl: ordersUrl,
      WaitTimeSeconds: "soon",
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain("<Code>InvalidParameterValue</Code>");
    expect(res.text).toContain("Value soon for parameter WaitTimeSeconds is invalid");
  });

  it("answers a map entry without a name with MissingParameter", async () => {
    const res = await query({
      Action: "SendMessage",
      QueueUrl: ordersUrl,
      MessageBody: "m",
      "MessageAttribute.1.Value.DataType": "String",
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain("MessageAttribute.1.Name");
  });

  it("ignores parameters named like Object's members", async () => {
    const res = await query({
      Action: "ListQueues",
      __proto__: "x",
      "constructor.1": "x",
      "QueueNamePrefix.__proto__": "x",
    } as Record<string, string>);
    expect(res.status).toBe(200);
  });

  it("refuses more parameters than any request needs before reading them", async () => {
    const body = `Action=ListQueues${"&a=1".repeat(MAX_QUERY_PARAMETERS)}`;
    const res = await rawRequest(server.url, { headers: FORM, body });
    expect(res.status).toBe(400);
    expect(res.text).toContain("<Code>MalformedQueryString</Code>");
  });

  it("refuses two services that both claim the Query protocol", async () => {
    const sqs = () => createSqsApi({ store: new QueueStore() });
    await expect(
      startAwsJsonServer({ port: 0, services: [sqs(), { ...sqs(), targetPrefix: "Other" }] }),
    ).rejects.toThrow(/AmazonSQS and Other both claim the Query protocol/);
  });

  it("still answers AWS JSON on the same endpoint", async () => {
    const res = await rawRequest(server.url, {
      headers: {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AmazonSQS.ListQueues",
      },
      body: "{}",
    });
    expect(res.json()).toEqual({ QueueUrls: [ordersUrl] });
  });
});
