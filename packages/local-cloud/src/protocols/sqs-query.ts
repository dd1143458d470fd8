import type { QueryProtocol } from "./aws-service.js";
import type { QueryMember, QueryShape } from "./query-input.js";
import type { XmlNames } from "./query-xml.js";

/**
 * SQS's Query protocol (form-encoded `Action=…` requests, XML answers), which older AWS CLIs
 * and boto3 releases speak (Debian 12's CLI 2.9 and boto3 1.26): each operation's input as
 * the Query protocol flattens it, and the element names of its output, from SQS's API model
 * (2012-11-05).
 */
const MESSAGE_ATTRIBUTE_VALUE: QueryShape = {
  DataType: "string",
  StringValue: "string",
  BinaryValue: "string",
};
const MESSAGE_ATTRIBUTES: QueryMember = { map: "MessageAttribute", value: MESSAGE_ATTRIBUTE_VALUE };
const MESSAGE_SYSTEM_ATTRIBUTES: QueryMember = {
  map: "MessageSystemAttribute",
  value: MESSAGE_ATTRIBUTE_VALUE,
};
const SEND_MESSAGE: QueryShape = {
  MessageBody: "string",
  DelaySeconds: "integer",
  MessageAttributes: MESSAGE_ATTRIBUTES,
  MessageSystemAttributes: MESSAGE_SYSTEM_ATTRIBUTES,
  MessageDeduplicationId: "string",
  MessageGroupId: "string",
};

const INPUTS = new Map<string, QueryShape>(
  Object.entries<QueryShape>({
    SendMessage: { QueueUrl: "string", ...SEND_MESSAGE },
    SendMessageBatch: {
      QueueUrl: "string",
      Entries: {
        entries: "SendMessageBatchRequestEntry",
        shape: { Id: "string", ...SEND_MESSAGE },
      },
    },
    ReceiveMessage: {
      QueueUrl: "string",
      AttributeNames: { list: "AttributeName" },
      MessageSystemAttributeNames: { list: "MessageSystemAttributeName" },
      MessageAttributeNames: { list: "MessageAttributeName" },
      MaxNumberOfMessages: "integer",
      VisibilityTimeout: "integer",
      WaitTimeSeconds: "integer",
      ReceiveRequestAttemptId: "string",
    },
    DeleteMessage: { QueueUrl: "string", ReceiptHandle: "string" },
    DeleteMessageBatch: {
      QueueUrl: "string",
      Entries: {
        entries: "DeleteMessageBatchRequestEntry",
        shape: { Id: "string", ReceiptHandle: "string" },
      },
    },
    ChangeMessageVisibility: {
      QueueUrl: "string",
      ReceiptHandle: "string",
      VisibilityTimeout: "integer",
    },
    ChangeMessageVisibilityBatch: {
      QueueUrl: "string",
      Entries: {
        entries: "ChangeMessageVisibilityBatchRequestEntry",
        shape: { Id: "string", ReceiptHandle: "string", VisibilityTimeout: "integer" },
      },
    },
    GetQueueAttributes: { QueueUrl: "string", AttributeNames: { list: "AttributeName" } },
    GetQueueUrl: { QueueName: "string", QueueOwnerAWSAccountId: "string" },
    ListQueues: { QueueNamePrefix: "string", NextToken: "string", MaxResults: "integer" },
    PurgeQueue: { QueueUrl: "string" },
  }),
);

const MESSAGE_MAPS = { Attributes: "Attribute", MessageAttributes: "MessageAttribute" };
const batchResult = (entry: string): XmlNames => ({
  lists: { Successful: entry, Failed: "BatchResultErrorEntry" },
});

/** The operations that answer a `<…Result>`, and how its lists and maps are named. */
const OUTPUTS = new Map<string, XmlNames>(
  Object.entries<XmlNames>({
    SendMessage: {},
    SendMessageBatch: batchResult("SendMessageBatchResultEntry"),
    ReceiveMessage: { lists: { Messages: "Message" }, maps: MESSAGE_MAPS },
    DeleteMessageBatch: batchResult("DeleteMessageBatchResultEntry"),
    ChangeMessageVisibilityBatch: batchResult("ChangeMessageVisibilityBatchResultEntry"),
    GetQueueAttributes: { maps: { Attributes: "Attribute" } },
    GetQueueUrl: {},
    ListQueues: { lists: { QueueUrls: "QueueUrl" } },
  }),
);

export const sqsQueryProtocol: QueryProtocol = {
  xmlNamespace: "http://queue.amazonaws.com/doc/2012-11-05/",
  // Operations the Query protocol does not know read no input: the service refuses them.
  input: (operation) => INPUTS.get(operation) ?? {},
  output: (operation) => OUTPUTS.get(operation),
  pathMember: "QueueUrl",
};
