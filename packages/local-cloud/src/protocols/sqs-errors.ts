import { QueueError } from "../queues/index.js";
import { AwsError } from "./aws-error.js";

/**
 * An SQS error as SQS's JSON protocol sends it: `__type` is the API model's shape, and the
 * `x-amzn-query-error` header carries the older Query code, which SDKs prefer (it is the
 * code their typed exceptions, e.g. QueueDoesNotExist, are looked up by).
 */
interface SqsErrorShape {
  /** Shape name in the com.amazonaws.sqs namespace. */
  shape: string;
  queryCode: string;
  statusCode: number;
}

const SHAPES = {
  QueueDoesNotExist: {
    shape: "QueueDoesNotExist",
    queryCode: "AWS.SimpleQueueService.NonExistentQueue",
    statusCode: 400,
  },
  InvalidAddress: { shape: "InvalidAddress", queryCode: "InvalidAddress", statusCode: 404 },
  ReceiptHandleIsInvalid: {
    shape: "ReceiptHandleIsInvalid",
    queryCode: "ReceiptHandleIsInvalid",
    statusCode: 404,
  },
  MessageNotInflight: {
    shape: "MessageNotInflight",
    queryCode: "AWS.SimpleQueueService.MessageNotInflight",
    statusCode: 400,
  },
  PurgeQueueInProgress: {
    shape: "PurgeQueueInProgress",
    queryCode: "AWS.SimpleQueueService.PurgeQueueInProgress",
    statusCode: 403,
  },
  InvalidAttributeName: {
    shape: "InvalidAttributeName",
    queryCode: "InvalidAttributeName",
    statusCode: 400,
  },
  InvalidMessageContents: {
    shape: "InvalidMessageContents",
    queryCode: "InvalidMessageContents",
    statusCode: 400,
  },
  // Not in the API model: SDKs name these after the Query code.
  InvalidParameterValue: {
    shape: "InvalidParameterValueException",
    queryCode: "InvalidParameterValue",
    statusCode: 400,
  },
  MissingParameter: {
    shape: "MissingRequiredParameterException",
    queryCode: "MissingParameter",
    statusCode: 400,
  },
  EmptyBatchRequest: {
    shape: "EmptyBatchRequest",
    queryCode: "AWS.SimpleQueueService.EmptyBatchRequest",
    statusCode: 400,
  },
  TooManyEntriesInBatchRequest: {
    shape: "TooManyEntriesInBatchRequest",
    queryCode: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    statusCode: 400,
  },
  BatchEntryIdsNotDistinct: {
    shape: "BatchEntryIdsNotDistinct",
    queryCode: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
    statusCode: 400,
  },
  InvalidBatchEntryId: {
    shape: "InvalidBatchEntryId",
    queryCode: "AWS.SimpleQueueService.InvalidBatchEntryId",
    statusCode: 400,
  },
  BatchRequestTooLong: {
    shape: "BatchRequestTooLong",
    queryCode: "AWS.SimpleQueueService.BatchRequestTooLong",
    statusCode: 400,
  },
  UnsupportedOperation: {
    shape: "UnsupportedOperation",
    queryCode: "AWS.SimpleQueueService.UnsupportedOperation",
    statusCode: 400,
  },
} satisfies Record<string, SqsErrorShape>;

export type SqsErrorName = keyof typeof SHAPES;

export function sqsError(name: SqsErrorName, message: string): AwsError {
  const { shape, queryCode, statusCode } = SHAPES[name];
  return new AwsError(`com.amazonaws.sqs#${shape}`, message, statusCode, queryCode);
}

/** The wire error for a queue's refusal. */
export function fromQueueError(error: QueueError): AwsError {
  return sqsError(error.code, error.message);
}

/** Runs `call`, turning a queue's refusal into the wire error. */
export function asSqsError<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw error instanceof QueueError ? fromQueueError(error) : error;
  }
}

/** Awaits `promise`, turning a queue's refusal into the wire error. */
export async function asSqsErrorAsync<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw error instanceof QueueError ? fromQueueError(error) : error;
  }
}

export const queueDoesNotExist = () =>
  sqsError("QueueDoesNotExist", "The specified queue does not exist.");

export const missingParameter = (parameter: string) =>
  sqsError("MissingParameter", `The request must contain the parameter ${parameter}.`);
