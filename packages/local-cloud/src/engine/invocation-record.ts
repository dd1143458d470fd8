import { RESULT_DETAIL_TYPES, RESULT_SOURCE } from "@ebsvc/service-contract";
import type { BusEvent } from "../bus-event.js";

export type Condition = "Success" | "RetriesExhausted" | "EventAgeExceeded";

/** What a Lambda destination receives about one asynchronous invocation (AWS's format). */
export interface InvocationRecord {
  version: "1.0";
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: Condition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext?: {
    statusCode: number;
    executedVersion: string;
    functionError?: "Unhandled";
  };
  responsePayload?: unknown;
}

/** How the last invocation ended, for the record. */
export interface LastResponse {
  readonly executedVersion: string;
  readonly payload: unknown;
  readonly functionError?: "Unhandled";
}

export function invocationRecord(input: {
  requestId: string;
  functionArn: string;
  condition: Condition;
  approximateInvokeCount: number;
  requestPayload: unknown;
  last?: LastResponse;
  nowMs: number;
}): InvocationRecord {
  const { last } = input;
  return {
    version: "1.0",
    timestamp: new Date(input.nowMs).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: input.requestPayload,
    // An event that expired before any invocation has no response to report.
    ...(last && {
      responseContext: {
        statusCode: 200,
        executedVersion: last.executedVersion,
        ...(last.functionError && { functionError: last.functionError }),
      },
      responsePayload: last.payload,
    }),
  };
}

/** The event an EventBridge destination receives: the record is its detail. */
export function destinationEvent(input: {
  record: InvocationRecord;
  busArn: string;
  id: string;
  account: string;
  region: string;
  nowMs: number;
}): BusEvent {
  const success = input.record.requestContext.condition === "Success";
  return {
    version: "0",
    id: input.id,
    "detail-type": success ? RESULT_DETAIL_TYPES.success : RESULT_DETAIL_TYPES.failure,
    source: RESULT_SOURCE,
    account: input.account,
    time: eventTime(input.nowMs),
    region: input.region,
    resources: [input.busArn, input.record.requestContext.functionArn],
    detail: input.record,
  };
}

/** EventBridge's `time`: ISO 8601 to the second, e.g. `2022-12-21T15:37:14Z`. */
export function eventTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
