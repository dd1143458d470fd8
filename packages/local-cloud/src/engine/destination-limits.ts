import type { LocalModel } from "@ebsvc/cloud-assembly";
import type { BusEvent } from "../bus-event.js";
import type { InvocationRecord } from "./invocation-record.js";

/** EventBridge's limit on one PutEvents entry, which a bus destination's event is. */
const EVENT_ENTRY_LIMIT_BYTES = 256 * 1024;
/** SQS's default MaximumMessageSize, for a queue the assembly does not describe. */
const DEFAULT_MESSAGE_LIMIT_BYTES = 256 * 1024;

/** Lambda's limit on an asynchronous invocation's payload, which a function destination gets. */
const ASYNC_INVOKE_LIMIT_BYTES = 1024 * 1024;

/** A record too large for its destination: Lambda cannot deliver it. */
export interface Oversize {
  readonly sizeBytes: number;
  readonly limitBytes: number;
  /** Whose limit it is, in words. */
  readonly limitOf: string;
}

/**
 * An event's size as EventBridge counts a PutEvents entry: Time is 14 bytes; Source,
 * DetailType, Detail (as JSON) and each resource count their UTF-8 bytes.
 */
export function eventEntrySize(event: BusEvent): number {
  let size = 14;
  for (const text of [event.source, event["detail-type"], JSON.stringify(event.detail)]) {
    size += Buffer.byteLength(text, "utf8");
  }
  for (const resource of event.resources) size += Buffer.byteLength(resource, "utf8");
  return size;
}

/** Whether a bus destination's event is over EventBridge's entry limit. */
export function eventOversize(event: BusEvent): Oversize | undefined {
  const sizeBytes = eventEntrySize(event);
  return sizeBytes > EVENT_ENTRY_LIMIT_BYTES
    ? { sizeBytes, limitBytes: EVENT_ENTRY_LIMIT_BYTES, limitOf: "EventBridge's PutEvents entry" }
    : undefined;
}

/** Whether a queue destination's message body is over the queue's MaximumMessageSize. */
export function messageOversize(
  body: string,
  queueArn: string,
  queues: LocalModel["queues"],
): Oversize | undefined {
  const sizeBytes = Buffer.byteLength(body, "utf8");
  const limitBytes =
    queues.find((queue) => queue.arn === queueArn)?.maximumMessageSizeBytes ??
    DEFAULT_MESSAGE_LIMIT_BYTES;
  return sizeBytes > limitBytes
    ? { sizeBytes, limitBytes, limitOf: "the queue's MaximumMessageSize" }
    : undefined;
}

/** Whether a function destination's record is over Lambda's asynchronous payload limit. */
export function invokeOversize(record: InvocationRecord): Oversize | undefined {
  const sizeBytes = Buffer.byteLength(JSON.stringify(record), "utf8");
  return sizeBytes > ASYNC_INVOKE_LIMIT_BYTES
    ? {
        sizeBytes,
        limitBytes: ASYNC_INVOKE_LIMIT_BYTES,
        limitOf: "Lambda's asynchronous invocation payload",
      }
    : undefined;
}

/**
 * What Lambda does with a record over its destination's limit: it does not deliver it and
 * counts a DestinationDeliveryFailures metric. Locally it is not silent: this says so.
 */
export function oversizeNotice(
  record: InvocationRecord,
  destinationArn: string,
  oversize: Oversize,
): string {
  const { functionArn, condition } = record.requestContext;
  return `${functionArn}: the ${condition} record is ${oversize.sizeBytes} bytes, over ${oversize.limitOf} limit of ${oversize.limitBytes} bytes, so it is not delivered to ${destinationArn} (AWS counts a DestinationDeliveryFailures metric and drops it)`;
}
