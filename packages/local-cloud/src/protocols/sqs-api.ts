import { type LocalQueue, messageSize, QueueError, type QueueStore } from "../queues/index.js";
import { unknownOperation } from "./aws-error.js";
import type { AwsJsonRequestContext, AwsJsonService } from "./aws-service.js";
import {
  type JsonObject,
  readInteger,
  readObject,
  readString,
  readStringList,
} from "./json-input.js";
import { readBatchEntries, runBatch } from "./sqs-batch.js";
import {
  asSqsError,
  asSqsErrorAsync,
  missingParameter,
  queueDoesNotExist,
  sqsError,
} from "./sqs-errors.js";
import { sqsQueryProtocol } from "./sqs-query.js";
import { readMessageAttributes, writeReceivedMessage } from "./sqs-wire.js";

/** SQS's default MaximumMessageSize, the limit when the store has no queue. */
const DEFAULT_MAXIMUM_MESSAGE_SIZE = 256 * 1024;
/** Room for what a request holds besides its messages: entry ids, attribute names, the URL. */
const REQUEST_OVERHEAD_BYTES = 64 * 1024;

/**
 * The largest SQS request body read, whatever the queues: a batch holds at most 1 MiB of
 * messages (the most any queue allows), which JSON or form encoding makes at most 3 MiB
 * (Python's \uXXXX, or %XX, for each byte of a character), plus the overhead.
 */
export const MAX_SQS_REQUEST_BYTES = 3 * 1024 * 1024 + REQUEST_OVERHEAD_BYTES;

/**
 * The largest body read for this store's queues: three times the largest MaximumMessageSize
 * among them, plus the overhead (832 KiB for queues of the default 256 KiB). A bigger body
 * cannot hold a message any of them accepts, so it is refused unread rather than parsed.
 */
function maxRequestBytes(store: QueueStore): number {
  const largest = Math.max(
    DEFAULT_MAXIMUM_MESSAGE_SIZE,
    ...store.list().map((queue) => queue.settings.maximumMessageSizeBytes),
  );
  return Math.min(3 * largest + REQUEST_OVERHEAD_BYTES, MAX_SQS_REQUEST_BYTES);
}

export interface SqsApiOptions {
  store: QueueStore;
}

type Operation = (input: JsonObject, store: QueueStore, context: AwsJsonRequestContext) => unknown;

const OPERATION_TABLE: Record<string, Operation> = {
  SendMessage: (input, store) => {
    const queue = queueOf(input, store);
    return asSqsError(() => sendOne(queue, input, "MessageAttributes"));
  },

  SendMessageBatch: (input, store) => {
    const queue = queueOf(input, store);
    const entries = readBatchEntries(input, "SendMessageBatchRequestEntry");
    const total = entries.reduce((sum, { entry }, index) => {
      const body = readString(entry, "MessageBody", `Entries[${index}].MessageBody`) ?? "";
      const attributes = readMessageAttributes(entry, `Entries[${index}].MessageAttributes`);
      return sum + messageSize(body, attributes);
    }, 0);
    const limit = queue.settings.maximumMessageSizeBytes;
    if (total > limit) {
      throw sqsError(
        "BatchRequestTooLong",
        `Batch requests cannot be longer than ${limit} bytes. You have sent ${total} bytes.`,
      );
    }
    return runBatch(entries, (entry, index) =>
      sendOne(queue, entry, `Entries[${index}].MessageAttributes`),
    );
  },

  ReceiveMessage: async (input, store, context) => {
    const queue = queueOf(input, store);
    const systemAttributeNames = [
      ...(readStringList(input, "AttributeNames") ?? []),
      ...(readStringList(input, "MessageSystemAttributeNames") ?? []),
    ];
    const messages = await asSqsErrorAsync(
      queue.receive({
        maxNumberOfMessages: readInteger(input, "MaxNumberOfMessages"),
        visibilityTimeoutSeconds: readInteger(input, "VisibilityTimeout"),
        waitTimeSeconds: readInteger(input, "WaitTimeSeconds"),
        messageAttributeNames: readStringList(input, "MessageAttributeNames"),
        systemAttributeNames,
        signal: context.signal,
      }),
    );
    // SQS leaves Messages out when there are none.
    return messages.length > 0 ? { Messages: messages.map(writeReceivedMessage) } : {};
  },

  DeleteMessage: (input, store) => {
    const queue = queueOf(input, store);
    const handle = readString(input, "ReceiptHandle");
    if (!handle) throw missingParameter("ReceiptHandle");
    asSqsError(() => queue.delete(handle));
    return {};
  },

  DeleteMessageBatch: (input, store) => {
    const queue = queueOf(input, store);
    const entries = readBatchEntries(input, "DeleteMessageBatchRequestEntry");
    return runBatch(entries, (entry, index) => {
      queue.delete(readString(entry, "ReceiptHandle", `Entries[${index}].ReceiptHandle`) ?? "");
      return {};
    });
  },

  ChangeMessageVisibility: (input, store) => {
    const queue = queueOf(input, store);
    const handle = readString(input, "ReceiptHandle");
    if (!handle) throw missingParameter("ReceiptHandle");
    const timeout = readInteger(input, "VisibilityTimeout");
    if (timeout === undefined) throw missingParameter("VisibilityTimeout");
    asSqsError(() => queue.changeVisibility(handle, timeout));
    return {};
  },

  ChangeMessageVisibilityBatch: (input, store) => {
    const queue = queueOf(input, store);
    const entries = readBatchEntries(input, "ChangeMessageVisibilityBatchRequestEntry");
    return runBatch(entries, (entry, index) => {
      const at = (member: string) => `Entries[${index}].${member}`;
      const timeout = readInteger(entry, "VisibilityTimeout", at("VisibilityTimeout"));
      if (timeout === undefined) {
        throw new QueueError(
          "MissingParameter",
          "The request must contain the parameter VisibilityTimeout.",
        );
      }
      queue.changeVisibility(
        readString(entry, "ReceiptHandle", at("ReceiptHandle")) ?? "",
        timeout,
      );
      return {};
    });
  },

  GetQueueAttributes: (input, store) => {
    const queue = queueOf(input, store);
    const names = readStringList(input, "AttributeNames") ?? [];
    // Without AttributeNames, SQS answers no attributes.
    if (names.length === 0) return {};
    return { Attributes: asSqsError(() => queue.attributes(names)) };
  },

  GetQueueUrl: (input, store) => {
    const name = readString(input, "QueueName");
    if (!name) throw missingParameter("QueueName");
    const owner = readString(input, "QueueOwnerAWSAccountId");
    const queue = store.find(name);
    if (!queue || queue.name !== name || (owner && owner !== queue.account)) {
      throw queueDoesNotExist();
    }
    return { QueueUrl: queue.url };
  },

  ListQueues: (input, store) => {
    const prefix = readString(input, "QueueNamePrefix") ?? "";
    const maxResults = readInteger(input, "MaxResults");
    const token = readString(input, "NextToken");
    if (maxResults !== undefined && (maxResults < 1 || maxResults > 1000)) {
      throw sqsError(
        "InvalidParameterValue",
        `Value ${maxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`,
      );
    }
    const queues = store.list(prefix);
    // The token is the name to resume from; names are listed in order.
    const resumeAt = token === undefined ? undefined : Buffer.from(token, "base64url").toString();
    if (token !== undefined && (!resumeAt || maxResults === undefined)) {
      throw sqsError("InvalidParameterValue", `Invalid NextToken value ${JSON.stringify(token)}.`);
    }
    const from = resumeAt === undefined ? queues : queues.filter((queue) => queue.name >= resumeAt);
    const page = maxResults === undefined ? from : from.slice(0, maxResults);
    const output: JsonObject = {};
    if (page.length > 0) output.QueueUrls = page.map((queue) => queue.url);
    const next = maxResults === undefined ? undefined : from[maxResults];
    if (next) output.NextToken = Buffer.from(next.name).toString("base64url");
    return output;
  },

  PurgeQueue: (input, store) => {
    const queue = queueOf(input, store);
    asSqsError(() => queue.purge());
    return {};
  },
};

// A Map, so that names such as "constructor" or "__proto__" are not operations.
const OPERATIONS = new Map(Object.entries(OPERATION_TABLE));

// Real SQS operations that queues defined by the CDK app have no use for locally.
const UNSUPPORTED = [
  "CreateQueue",
  "DeleteQueue",
  "SetQueueAttributes",
  "TagQueue",
  "UntagQueue",
  "ListQueueTags",
  "AddPermission",
  "RemovePermission",
  "ListDeadLetterSourceQueues",
  "StartMessageMoveTask",
  "CancelMessageMoveTask",
  "ListMessageMoveTasks",
];

/** The `AmazonSQS` service over a store of local queues, over AWS JSON and the Query protocol. */
export function createSqsApi(options: SqsApiOptions): AwsJsonService {
  return {
    targetPrefix: "AmazonSQS",
    jsonVersion: "1.0",
    get maxRequestBytes() {
      return maxRequestBytes(options.store);
    },
    query: sqsQueryProtocol,
    handle(operation, input, context) {
      const run = OPERATIONS.get(operation);
      if (run) return run(input, options.store, context);
      if (UNSUPPORTED.includes(operation)) {
        throw sqsError(
          "UnsupportedOperation",
          `${operation} is not supported by the local SQS: its queues are the ones the CDK app defines.`,
        );
      }
      throw unknownOperation(`AmazonSQS.${operation}`);
    },
  };
}

/** The queue a request's QueueUrl names. */
function queueOf(input: JsonObject, store: QueueStore): LocalQueue {
  const url = readString(input, "QueueUrl");
  if (!url) throw missingParameter("QueueUrl");
  if (!URL.canParse(url)) {
    throw sqsError("InvalidAddress", `The address ${url} is not valid for this endpoint.`);
  }
  const queue = store.find(url);
  if (!queue) throw queueDoesNotExist();
  return queue;
}

/** SendMessage, or one entry of SendMessageBatch. */
function sendOne(queue: LocalQueue, input: JsonObject, attributesPath: string) {
  const body = readString(input, "MessageBody") ?? "";
  const attributes = readMessageAttributes(input, attributesPath);
  const system = readObject(input, "MessageSystemAttributes");
  const trace = system?.AWSTraceHeader;
  return queue.send(body, attributes, {
    delaySeconds: readInteger(input, "DelaySeconds"),
    traceHeader:
      typeof trace === "object" && trace !== null && "StringValue" in trace
        ? String(trace.StringValue)
        : undefined,
  });
}
