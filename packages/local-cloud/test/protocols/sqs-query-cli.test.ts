import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSqsApi,
  type RunningAwsJsonServer,
  startAwsJsonServer,
} from "../../src/protocols/index.js";
import { md5OfMessageAttributes, QueueStore } from "../../src/queues/index.js";
import { ACCOUNT, clientConfig, REGION } from "./helpers.js";

// Debian's AWS CLI 2.9 and boto3 1.26 speak SQS's Query protocol (.ci/run installs them).
const AWS_CLI = process.env.AWS_CLI ?? (existsSync("/usr/bin/aws") ? "/usr/bin/aws" : "aws");
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: process.env.HOME ?? "/tmp",
  AWS_ACCESS_KEY_ID: "x",
  AWS_SECRET_ACCESS_KEY: "x",
  AWS_DEFAULT_REGION: REGION,
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_PAGER: "",
};
const run = promisify(execFile);

let server: RunningAwsJsonServer;
/** The JS SDK over the JSON protocol: seeds queues and checks what the CLI did. */
let json: SQSClient;
const urls: Record<string, string> = {};

beforeAll(async () => {
  const store = new QueueStore();
  server = await startAwsJsonServer({ port: 0, services: [createSqsApi({ store })] });
  json = new SQSClient(clientConfig(server.url));
  for (const name of ["orders", "orders-dlq", "payments"]) {
    urls[name] = `${server.url}/${ACCOUNT}/${name}`;
    store.create({ name, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`, url: urls[name] });
  }
});

afterAll(async () => {
  json.destroy();
  await server.close();
});

/** A queue's counts, read over the JSON protocol with the JS SDK. */
async function attributesOf(name: string) {
  const { Attributes } = await json.send(
    new GetQueueAttributesCommand({ QueueUrl: urls[name], AttributeNames: ["All"] }),
  );
  return Attributes;
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json(): Record<string, unknown>;
}

/** `aws sqs <args> --endpoint-url <server>`, its exit code and output. */
async function aws(...args: string[]): Promise<CliResult> {
  const argv = ["sqs", ...args, "--endpoint-url", server.url, "--output", "json"];
  let result: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await run(AWS_CLI, argv, { env: ENV, timeout: 30_000 });
    result = { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") {
      throw new Error(`cannot run ${AWS_CLI} (apt-get install awscli): ${String(error)}`);
    }
    result = { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
  return { ...result, json: () => JSON.parse(result.stdout) as Record<string, unknown> };
}

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

// Each CLI run starts Python: a few seconds on a busy machine.
describe("SQS's Query protocol through Debian's AWS CLI", { timeout: 90_000 }, () => {
  it("sends Query requests (so this is what the tests below exercise), and lists queues", async () => {
    const listed = await aws("list-queues", "--debug");
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain("'body': {'Action': 'ListQueues', 'Version': '2012-11-05'}");
    expect(listed.stderr).toContain("Content-Type': 'application/x-www-form-urlencoded");
    expect(listed.json()).toEqual({
      QueueUrls: [urls.orders, urls["orders-dlq"], urls.payments],
    });
    const prefixed = await aws("list-queues", "--queue-name-prefix", "orders-");
    expect(prefixed.json()).toEqual({ QueueUrls: [urls["orders-dlq"]] });
  });

  it("gets a queue's URL", async () => {
    const got = await aws("get-queue-url", "--queue-name", "payments");
    expect(got.code).toBe(0);
    expect(got.json()).toEqual({ QueueUrl: urls.payments });
  });

  it("sends a message with attributes and receives it as sent, MD5s matching", async () => {
    // A CR survives only if the XML escapes it; <, & and non-ASCII test the rest.
    const body = 'héllo €\r\n<order id="o-1"> & more';
    const attributes = {
      Kind: { DataType: "String", StringValue: "order <new>" },
      Price: { DataType: "Number", StringValue: "1.99" },
      Blob: { DataType: "Binary", BinaryValue: "AAEC/w==" },
    };
    const sent = await aws(
      "send-message",
      "--queue-url",
      urls.orders as string,
      "--message-body",
      body,
      "--message-attributes",
      JSON.stringify(attributes),
    );
    expect(sent.code).toBe(0);
    const attributesMd5 = md5OfMessageAttributes({
      Kind: attributes.Kind,
      Price: attributes.Price,
      Blob: { DataType: "Binary", BinaryValue: Buffer.from(attributes.Blob.BinaryValue, "base64") },
    });
    expect(sent.json()).toEqual({
      MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      MD5OfMessageBody: md5(body),
      MD5OfMessageAttributes: attributesMd5,
    });

    const received = await aws(
      "receive-message",
      "--queue-url",
      urls.orders as string,
      "--message-attribute-names",
      "All",
      "--attribute-names",
      "All",
      "--visibility-timeout",
      "60",
    );
    expect(received.code).toBe(0);
    const [message, ...others] = received.json().Messages as Record<string, unknown>[];
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      MessageId: sent.json().MessageId,
      Body: body,
      MD5OfBody: md5(body),
      MD5OfMessageAttributes: attributesMd5,
      MessageAttributes: attributes,
      Attributes: { ApproximateReceiveCount: "1", SenderId: ACCOUNT },
    });
    expect(await attributesOf("orders")).toMatchObject({
      ApproximateNumberOfMessagesNotVisible: "1",
    });

    const deleted = await aws(
      "delete-message",
      "--queue-url",
      urls.orders as string,
      "--receipt-handle",
      message?.ReceiptHandle as string,
    );
    expect(deleted).toMatchObject({ code: 0, stdout: "" });
    expect(await attributesOf("orders")).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
    });
  });

  it("purges a queue", async () => {
    for (const body of ["one", "two"]) {
      await json.send(new SendMessageCommand({ QueueUrl: urls.payments, MessageBody: body }));
    }
    const purged = await aws("purge-queue", "--queue-url", urls.payments as string);
    expect(purged.code).toBe(0);
    expect(await attributesOf("payments")).toMatchObject({
      ApproximateNumberOfMessages: "0",
    });
  });

  it("fails on a queue that does not exist, with SQS's error code, exiting non-zero", async () => {
    const byName = await aws("get-queue-url", "--queue-name", "nope");
    expect(byName.code).not.toBe(0);
    expect(byName.stderr).toContain(
      "An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.",
    );
    const byUrl = await aws("receive-message", "--queue-url", `${server.url}/${ACCOUNT}/nope`);
    expect(byUrl.code).not.toBe(0);
    expect(byUrl.stderr).toContain("(AWS.SimpleQueueService.NonExistentQueue)");
  });

  it("answers a value out of range with InvalidParameterValue", async () => {
    const received = await aws(
      "receive-message",
      "--queue-url",
      urls.orders as string,
      "--max-number-of-messages",
      "11",
    );
    expect(received.code).not.toBe(0);
    expect(received.stderr).toContain("(InvalidParameterValue)");
    expect(received.stderr).toContain("MaxNumberOfMessages");
  });
});

describe("SQS's Query protocol through Debian's boto3", { timeout: 90_000 }, () => {
  it("runs batches, visibility changes and queue attributes", async () => {
    const script = `
import boto3, json, sys
sqs = boto3.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="x", aws_secret_access_key="x")
url = sqs.get_queue_url(QueueName="orders-dlq")["QueueUrl"]
out = {}
out["sent"] = sqs.send_message_batch(QueueUrl=url, Entries=[
    {"Id": "a", "MessageBody": "first", "MessageAttributes": {"N": {"DataType": "Number", "StringValue": "1"}}},
    {"Id": "b", "MessageBody": "second", "DelaySeconds": 0},
    {"Id": "c", "MessageBody": ""},
])
received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
                               VisibilityTimeout=60)
out["received"] = received["Messages"]
out["released"] = sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
    {"Id": "m%d" % i, "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
    for i, m in enumerate(received["Messages"])])
again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
out["deleted"] = sqs.delete_message_batch(QueueUrl=url, Entries=[
    {"Id": "m%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(again)]
    + [{"Id": "junk", "ReceiptHandle": "junk"}])
out["attributes"] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "QueueArn"])["Attributes"]
try:
    sqs.get_queue_url(QueueName="nope")
except sqs.exceptions.QueueDoesNotExist as error:
    out["error"] = error.response["Error"]
for value in out.values():
    if isinstance(value, dict): value.pop("ResponseMetadata", None)
print(json.dumps(out))
`;
    const { stdout } = await run(PYTHON, ["-c", script, server.url], { env: ENV, timeout: 30_000 });
    const out = JSON.parse(stdout) as Record<string, Record<string, unknown>>;
    expect(out.sent).toEqual({
      Successful: [
        expect.objectContaining({ Id: "a", MD5OfMessageBody: md5("first") }),
        expect.objectContaining({ Id: "b", MD5OfMessageBody: md5("second") }),
      ],
      Failed: [
        {
          Id: "c",
          SenderFault: true,
          Code: "MissingParameter",
          Message: "The request must contain the parameter MessageBody.",
        },
      ],
    });
    expect(out.received).toEqual([
      expect.objectContaining({
        Body: "first",
        MessageAttributes: { N: { DataType: "Number", StringValue: "1" } },
      }),
      expect.objectContaining({ Body: "second" }),
    ]);
    expect(out.released).toEqual({ Successful: [{ Id: "m0" }, { Id: "m1" }] });
    expect(out.deleted).toEqual({
      Successful: [{ Id: "m0" }, { Id: "m1" }],
      Failed: [
        {
          Id: "junk",
          SenderFault: true,
          Code: "ReceiptHandleIsInvalid",
          Message: 'The input receipt handle "junk" is not a valid receipt handle.',
        },
      ],
    });
    expect(out.attributes).toEqual({
      ApproximateNumberOfMessages: "0",
      QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq`,
    });
    expect(out.error).toEqual({
      Type: "Sender",
      Code: "AWS.SimpleQueueService.NonExistentQueue",
      Message: "The specified queue does not exist.",
      Detail: null,
    });
  });
});
