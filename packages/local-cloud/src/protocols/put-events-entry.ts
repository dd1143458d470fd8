import type { BusEvent } from "../bus-event.js";
import { measureJson } from "./json-scan.js";

/** A PutEventsRequestEntry, its members already checked to be of the right JSON types. */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  /** Epoch seconds, as AWS JSON sends timestamps. */
  Time?: number;
  TraceHeader?: string;
}

/** What an entry needs from outside to become an event. */
export interface EventContext {
  account: string;
  region: string;
  /** Milliseconds since the epoch: the event's time when the entry gives none. */
  now: number;
  newId(): string;
}

/** A failed entry, as PutEvents reports it in place of an EventId. */
export interface EntryFailure {
  ErrorCode: string;
  ErrorMessage: string;
}

export type EntryConversion =
  | { ok: true; event: BusEvent; eventBusName: string }
  | { ok: false; failure: EntryFailure };

const DEFAULT_EVENT_BUS = "default";

/**
 * EventBridge's documented limit ("PutEvents will only process nested JSON up to 1100 levels
 * deep"). It also keeps every event well within what JSON.stringify and the other recursive
 * walkers of an event can handle (about 4,000 levels on Node's default stack).
 */
const MAX_DETAIL_DEPTH = 1100;

/**
 * Turns one entry into the event EventBridge would put on the bus, or the per-entry error
 * EventBridge answers for it. Checks, in AWS's order: Source, DetailType, Detail present (an
 * empty string counts as missing); Detail a JSON object nested at most 1100 levels deep;
 * Source not in the reserved "aws." namespace.
 */
export function entryToEvent(entry: PutEventsEntry, context: EventContext): EntryConversion {
  for (const member of ["Source", "DetailType", "Detail"] as const) {
    if (!entry[member]) {
      return failed(
        "InvalidArgument",
        `Parameter ${member} is not valid. Reason: ${member} is a required argument.`,
      );
    }
  }
  const depth = measureJson(Buffer.from(entry.Detail as string, "utf8")).depth;
  if (depth > MAX_DETAIL_DEPTH) {
    return failed(
      "MalformedDetail",
      `Detail is malformed. Reason: it nests ${depth} levels deep; EventBridge processes nested JSON up to ${MAX_DETAIL_DEPTH} levels deep.`,
    );
  }
  const detail = parseDetail(entry.Detail as string);
  if (detail === undefined) return failed("MalformedDetail", "Detail is malformed.");
  const source = entry.Source as string;
  if (source.startsWith("aws.")) {
    // Only AWS services may put events with an aws.* source.
    return failed("NotAuthorizedForSourceException", "Not authorized for the source.");
  }
  const event: BusEvent = {
    version: "0",
    id: context.newId(),
    "detail-type": entry.DetailType as string,
    source,
    account: context.account,
    time: formatEventTime(entry.Time === undefined ? context.now : entry.Time * 1000),
    region: context.region,
    resources: entry.Resources ?? [],
    detail,
  };
  return { ok: true, event, eventBusName: entry.EventBusName ?? DEFAULT_EVENT_BUS };
}

/** Event times are UTC to the second: 2022-12-21T15:37:14Z. */
export function formatEventTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/**
 * An entry's size as EventBridge counts it against the request limit: Time is 14 bytes if
 * given; Source, DetailType, Detail and each resource count their UTF-8 bytes.
 */
export function entrySize(entry: PutEventsEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text !== undefined) size += Buffer.byteLength(text, "utf8");
  }
  return size;
}

/** The detail object, or undefined when Detail is not JSON or not a JSON object. */
function parseDetail(detail: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(detail);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON: malformed, like a JSON value that is not an object.
  }
  return undefined;
}

function failed(ErrorCode: string, ErrorMessage: string): EntryConversion {
  return { ok: false, failure: { ErrorCode, ErrorMessage } };
}
