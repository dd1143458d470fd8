import { QueueError } from "./queue-error.js";

/** Message system attributes a receive may ask for. */
export const SYSTEM_ATTRIBUTES = [
  "SenderId",
  "SentTimestamp",
  "ApproximateReceiveCount",
  "ApproximateFirstReceiveTimestamp",
  "AWSTraceHeader",
  // FIFO-only and redrive attributes: valid to ask for, never present on this standard queue.
  "SequenceNumber",
  "MessageDeduplicationId",
  "MessageGroupId",
  "DeadLetterQueueSourceArn",
];

/** Queue attributes GetQueueAttributes may ask for. */
export const QUEUE_ATTRIBUTES = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "DelaySeconds",
  "MaximumMessageSize",
  "MessageRetentionPeriod",
  "QueueArn",
  "ReceiveMessageWaitTimeSeconds",
  "VisibilityTimeout",
  // Not set on a local queue: asking for them is no error, and they are not answered.
  "Policy",
  "RedrivePolicy",
  "RedriveAllowPolicy",
  "KmsMasterKeyId",
  "KmsDataKeyReusePeriodSeconds",
  "SqsManagedSseEnabled",
  "FifoQueue",
  "ContentBasedDeduplication",
  "DeduplicationScope",
  "FifoThroughputLimit",
];

/** Refuses a name that is neither "All" nor one of `known`, as SQS does. */
export function checkAttributeNames(names: readonly string[], known: readonly string[]): void {
  for (const name of names) {
    if (name !== "All" && !known.includes(name)) {
      throw new QueueError("InvalidAttributeName", `Unknown Attribute ${name}.`);
    }
  }
}

/** The attributes with a value that `names` asks for ("All" for every one). */
export function pickAttributes(
  values: Record<string, string | undefined>,
  names: readonly string[],
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && (names.includes("All") || names.includes(name))) {
      picked[name] = value;
    }
  }
  return picked;
}
