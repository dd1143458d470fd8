import type { AwsError } from "./aws-error.js";
import type { JsonObject } from "./json-input.js";
import type { QueryShape } from "./query-input.js";
import type { XmlNames } from "./query-xml.js";

/** What a service's handler gets besides its input. */
export interface AwsJsonRequestContext {
  requestId: string;
  /** Aborts when the caller hangs up or the server closes: long polls end on it. */
  signal: AbortSignal;
}

/** A service reached through `X-Amz-Target: <targetPrefix>.<Operation>`. */
export interface AwsJsonService {
  /** E.g. "AWSEvents" or "AmazonSQS". */
  readonly targetPrefix: string;
  /** The AWS JSON protocol version the service's SDK clients speak. */
  readonly jsonVersion: "1.0" | "1.1";
  /** Largest request body read; default DEFAULT_MAX_REQUEST_BYTES. */
  readonly maxRequestBytes?: number;
  /**
   * The answer to a body over maxRequestBytes, when the service has its own error for a
   * request too large; default 413 RequestEntityTooLargeException.
   */
  readonly requestTooLarge?: AwsError;
  /**
   * The older AWS Query protocol too (form-encoded `Action=…`, XML answers), for a service
   * that still speaks it: its operations are the same `handle`. One service at most.
   */
  readonly query?: QueryProtocol;
  /** Answers one operation: the result is the JSON response body. Throw AwsError to refuse. */
  handle(operation: string, input: JsonObject, context: AwsJsonRequestContext): unknown;
}

/**
 * The AWS Query protocol of a service that speaks it besides AWS JSON (SQS): requests are
 * form-encoded `Action=<Operation>&…`, answers are XML. The operation itself is the service's
 * `handle`, given the same JSON input the JSON protocol would give it.
 */
export interface QueryProtocol {
  /** The xmlns of every answer, e.g. http://queue.amazonaws.com/doc/2012-11-05/. */
  readonly xmlNamespace: string;
  /** How the operation's input is sent. */
  input(operation: string): QueryShape;
  /** How its output is written; undefined for an operation that answers no `<…Result>`. */
  output(operation: string): XmlNames | undefined;
  /**
   * The member a request sent to a path other than / names by that path (SQS: QueueUrl, for
   * requests POSTed to the queue's URL), when the request does not give it.
   */
  readonly pathMember?: string;
}
