/**
 * The SQS error codes the local queues raise (the Query-protocol codes, which SDKs show as the
 * error's name); the SQS endpoint turns them into wire errors.
 */
export type QueueErrorCode =
  | "InvalidParameterValue"
  | "MissingParameter"
  | "InvalidMessageContents"
  | "ReceiptHandleIsInvalid"
  | "MessageNotInflight"
  | "PurgeQueueInProgress"
  | "InvalidAttributeName";

/** A request the queue refuses, as SQS would refuse it. */
export class QueueError extends Error {
  override readonly name = "QueueError";

  constructor(
    readonly code: QueueErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** SQS's wording for an out-of-range number. */
export function invalidParameter(parameter: string, value: unknown, reason: string): QueueError {
  return new QueueError(
    "InvalidParameterValue",
    `Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`,
  );
}
