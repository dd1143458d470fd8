/**
 * An error answered the AWS JSON way: HTTP `statusCode` with `{"__type": type, "message": ...}`.
 * SDKs name the exception they throw after `type` (the part after any '#').
 */
export class AwsError extends Error {
  override readonly name = "AwsError";

  constructor(
    /** The `__type`, e.g. "ValidationException" or "com.amazonaws.sqs#QueueDoesNotExist". */
    readonly type: string,
    message: string,
    readonly statusCode = 400,
    /**
     * For services that also speak the older Query protocol (SQS): the Query error code, sent
     * in the `x-amzn-query-error` header, which SDKs then prefer over `type`.
     */
    readonly queryErrorCode?: string,
  ) {
    super(message);
  }
}

/** The request body is not JSON, or a member has the wrong JSON type. */
export function serializationError(message: string): AwsError {
  return new AwsError("SerializationException", message);
}

/** A target the service does not offer. */
export function unknownOperation(target: string, detail = ""): AwsError {
  return new AwsError(
    "UnknownOperationException",
    `Unknown operation ${target}${detail ? `: ${detail}` : ""}`,
  );
}

/** A failure of ours, answered as AWS answers its own. */
export function internalError(error: unknown): AwsError {
  return new AwsError(
    "InternalFailure",
    `The request processing has failed because of an unknown error, exception or failure: ${String(error)}`,
    500,
  );
}
