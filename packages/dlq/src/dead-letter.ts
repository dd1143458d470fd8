import type { Message } from "@aws-sdk/client-sqs";

/** The event to redrive from a dead letter, and what the letter says went wrong. */
export interface DeadLetter {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** When the queue received it (ISO 8601). */
  readonly sentAt?: string;
  /** A failed invocation's record, or an event EventBridge could not deliver. */
  readonly kind: "failed invocation" | "undeliverable event" | "unknown";
  /** e.g. `RetriesExhausted after 3 invocation(s): BehaviourError: no stock`. */
  readonly reason: string;
  /** The event the service should have processed, when the letter holds one. */
  readonly event?: {
    source: string;
    "detail-type": string;
    detail: unknown;
    resources?: string[];
    id?: string;
  };
  readonly body: unknown;
  readonly attributes: Record<string, string>;
}

/**
 * Reads a dead-letter message as the app's DLQs receive them: Lambda's failure record (body =
 * the record, the event in `requestPayload`) or an undeliverable event (body = the event,
 * EventBridge's reasons in message attributes).
 */
export function readDeadLetter(message: Message): DeadLetter {
  const attributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      value.StringValue ?? "",
    ]),
  );
  const base = {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    sentAt: sentAt(message.Attributes?.SentTimestamp),
    attributes,
  };
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? "");
  } catch {
    return { ...base, kind: "unknown", reason: "the body is not JSON", body: message.Body };
  }
  const record = body as {
    requestContext?: { condition?: string; approximateInvokeCount?: number };
    requestPayload?: unknown;
    responsePayload?: { errorType?: string; errorMessage?: string };
  };
  if (record.requestContext?.condition !== undefined) {
    const error = record.responsePayload;
    const what = error
      ? `${error.errorType ?? "Error"}: ${error.errorMessage ?? JSON.stringify(error)}`
      : "no response";
    return {
      ...base,
      kind: "failed invocation",
      reason: `${record.requestContext.condition} after ${record.requestContext.approximateInvokeCount ?? "?"} invocation(s): ${what}`,
      event: asEvent(record.requestPayload),
      body,
    };
  }
  if (attributes.ERROR_CODE !== undefined) {
    return {
      ...base,
      kind: "undeliverable event",
      reason: `${attributes.ERROR_CODE}: ${attributes.ERROR_MESSAGE ?? ""} (${attributes.EXHAUSTED_RETRY_CONDITION ?? "?"}, ${attributes.RETRY_ATTEMPTS ?? "?"} retries)`,
      event: asEvent(body),
      body,
    };
  }
  return {
    ...base,
    kind: "unknown",
    reason: "neither a Lambda failure record nor an EventBridge dead letter",
    body,
  };
}

function asEvent(value: unknown): DeadLetter["event"] {
  const event = value as DeadLetter["event"];
  return typeof event?.source === "string" && typeof event["detail-type"] === "string"
    ? event
    : undefined;
}

function sentAt(epochMs: string | undefined): string | undefined {
  return epochMs === undefined ? undefined : new Date(Number(epochMs)).toISOString();
}
