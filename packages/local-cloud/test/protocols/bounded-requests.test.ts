import { request } from "node:http";
import { ListQueuesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEventsApi,
  createSqsApi,
  MAX_SQS_REQUEST_BYTES,
  type RunningAwsJsonServer,
  startAwsJsonServer,
} from "../../src/protocols/index.js";
import { QueueStore } from "../../src/queues/index.js";
import {
  ACCOUNT,
  clientConfig,
  FakeEventsBackend,
  type RawResponse,
  REGION,
  rawRequest,
} from "./helpers.js";

let server: RunningAwsJsonServer;
let sqs: SQSClient;
let backend: FakeEventsBackend;

beforeAll(async () => {
  backend = new FakeEventsBackend("default");
  const store = new QueueStore();
  server = await startAwsJsonServer({
    port: 0,
    services: [createEventsApi({ backend }), createSqsApi({ store })],
  });
  const url = `${server.url}/${ACCOUNT}/orders`;
  store.create({ name: "orders", arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`, url });
  sqs = new SQSClient(clientConfig(server.url));
  await sqs.send(new ListQueuesCommand({})); // the client's first call sets it up: not timed
});

afterAll(async () => {
  sqs.destroy();
  await server.close();
});

const putEvents = {
  "Content-Type": "application/x-amz-json-1.1",
  "X-Amz-Target": "AWSEvents.PutEvents",
};

/** A big body POSTed, with its length declared or chunked; the server may answer early. */
function post(
  body: string,
  headers: Record<string, string>,
  chunked = false,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/`, {
      method: "POST",
      headers: chunked
        ? headers
        : { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: () => JSON.parse(text),
        });
      });
    });
    // Writing the rest of a body the server has refused may fail; the answer is what counts.
    req.on("error", (error) => setTimeout(() => reject(error), 1000));
    for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.slice(at, at + 64 * 1024));
    req.end();
  });
}

/** Sends the hostile request while timing a ListQueues of another client that starts with it. */
async function whileListing(hostile: () => Promise<RawResponse>) {
  const heapBefore = process.memoryUsage().heapUsed;
  const refused = hostile();
  const started = performance.now();
  await sqs.send(new ListQueuesCommand({}));
  const listMs = performance.now() - started;
  const res = await refused;
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  return { res, listMs, heapGrowthMb };
}

const entries = (count: number) =>
  JSON.stringify({ Entries: Array.from({ length: count }, () => ({})) });

describe("requests bounded before any per-entry work", () => {
  const million = entries(1_000_000); // ~3 MB

  it.each([
    ["declared", false],
    ["chunked", true],
  ])(
    "refuses a PutEvents of a million entries (%s length) at once, other clients unhurt",
    async (_, chunked) => {
      expect(million.length).toBeGreaterThan(3_000_000);
      const { res, listMs, heapGrowthMb } = await whileListing(() =>
        post(million, putEvents, chunked),
      );
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({
        __type: "ValidationException",
        message: "Total size of the entries in the request is over the limit.",
      });
      expect(res.headers.connection).toBe("close");
      expect(listMs).toBeLessThan(1000);
      // The body is never buffered whole, let alone parsed into a million entries.
      expect(heapGrowthMb).toBeLessThan(64);
      expect(backend.events("default")).toEqual([]);
    },
  );

  it("refuses a body within the size limit but of hundreds of thousands of values before parsing it", async () => {
    const body = entries(340_000); // just under 1 MiB
    expect(body.length).toBeLessThan(1024 * 1024);
    const { res, listMs } = await whileListing(() => post(body, putEvents));
    expect(res.status).toBe(400);
    expect(res.json().__type).toBe("SerializationException");
    expect(res.json().message).toContain("more than 20000 JSON values");
    expect(listMs).toBeLessThan(1000);
  });

  it("counts PutEvents entries before reading them, quoting the first 100 as EventBridge quotes them", async () => {
    const { res, listMs } = await whileListing(() => post(entries(5_000), putEvents));
    expect(res.status).toBe(400);
    const { __type, message } = res.json() as { __type: string; message: string };
    expect(__type).toBe("ValidationException");
    expect(message).toMatch(
      /^1 validation error detected: Value '\[PutEventsRequestEntry\(time=null, source=null,.*, \.\.\. 4900 more\]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/s,
    );
    expect(message.match(/PutEventsRequestEntry\(/g)).toHaveLength(100);
    expect(listMs).toBeLessThan(1000);
  });

  it("refuses an SQS body that cannot hold a message the queues accept, unread", async () => {
    // The queues take the default 256 KiB: 3 times that plus 64 KiB is read, no more.
    const limit = 3 * 256 * 1024 + 64 * 1024;
    const body = JSON.stringify({
      QueueUrl: `${server.url}/${ACCOUNT}/orders`,
      MessageBody: "x".repeat(limit),
    });
    const headers = {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": "AmazonSQS.SendMessage",
    };
    const { res, listMs } = await whileListing(() => post(body, headers));
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({
      __type: "RequestEntityTooLargeException",
      message: `The request body is over ${limit} bytes, the most this endpoint reads for AmazonSQS`,
    });
    expect(listMs).toBeLessThan(1000);
  });

  it("reads bodies as large as a queue's MaximumMessageSize needs, up to 1 MiB of messages", async () => {
    const store = new QueueStore();
    const big = await startAwsJsonServer({ port: 0, services: [createSqsApi({ store })] });
    const url = `${big.url}/${ACCOUNT}/big`;
    store.create({
      name: "big",
      arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:big`,
      url,
      maximumMessageSizeBytes: 1024 * 1024,
    });
    const client = new SQSClient(clientConfig(big.url));
    try {
      // 1 MiB of "é": 2 MiB of UTF-8, which JSON leaves as is; over 832 KiB, under the cap.
      const body = "é".repeat(512 * 1024);
      const sent = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
      expect(sent.MessageId).toBeTruthy();
      const over = await rawRequest(big.url, {
        headers: {
          "Content-Type": "application/x-amz-json-1.0",
          "X-Amz-Target": "AmazonSQS.SendMessage",
        },
        body: JSON.stringify({ QueueUrl: url, MessageBody: "x".repeat(MAX_SQS_REQUEST_BYTES) }),
      });
      expect(over.status).toBe(413);
      expect(over.json().message).toContain(`over ${MAX_SQS_REQUEST_BYTES} bytes`);
    } finally {
      client.destroy();
      await big.close();
    }
  });

  it("counts SQS batch entries before reading them", async () => {
    const body = JSON.stringify({
      QueueUrl: `${server.url}/${ACCOUNT}/orders`,
      Entries: Array.from({ length: 5_000 }, (_, i) => ({ Id: `m${i}`, MessageBody: "x" })),
    });
    const res = await post(body, {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": "AmazonSQS.SendMessageBatch",
    });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      __type: "com.amazonaws.sqs#TooManyEntriesInBatchRequest",
      message: "Maximum number of entries per request are 10. You have sent 5000.",
    });
  });
});
