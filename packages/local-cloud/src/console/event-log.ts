import type { Observation } from "../engine/observations.js";

/**
 * What the console reads. Interim: the `durable` branch brings the persistent event log
 * (src/state/event-log.ts) and richer observations; until it is merged, this in-memory log,
 * fed by the environment's observer, has the same interface. Delete this file then.
 */
export type LoggedObservation =
  | Observation
  /** A line a function printed; `requestId` when the runtime's log format carries it. */
  | {
      readonly kind: "log";
      readonly service: string;
      readonly requestId?: string;
      readonly line: string;
    };

export interface LogEntry {
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly observation: LoggedObservation;
}

export interface EventLog {
  append(observation: LoggedObservation): LogEntry;
  /** Entries after `seq`, ascending, at most `limit`. */
  after(seq: number, limit: number): LogEntry[];
  /** The last `limit` entries, ascending. */
  latest(limit: number): LogEntry[];
  /** The causal tree rooted at an event, ascending. */
  trace(eventId: string): LogEntry[];
  subscribe(listener: (entry: LogEntry) => void): () => void;
}

/** Keeps the last `capacity` entries in memory. */
export function memoryEventLog(capacity = 100_000): EventLog {
  let entries: LogEntry[] = [];
  let seq = 0;
  const listeners = new Set<(entry: LogEntry) => void>();
  const indexOf = (after: number) => {
    // Sequence numbers are dense, so the position is arithmetic.
    const first = entries[0]?.seq ?? seq + 1;
    return Math.max(0, after + 1 - first);
  };
  return {
    append(observation) {
      seq += 1;
      const entry = { seq, at: Date.now(), observation };
      entries.push(entry);
      // Trim in batches: shifting one at a time would copy the array on every append.
      if (entries.length > capacity * 1.1) entries = entries.slice(entries.length - capacity);
      for (const listener of listeners) listener(entry);
      return entry;
    },
    after: (after, limit) => entries.slice(indexOf(after), indexOf(after) + limit),
    latest: (limit) => entries.slice(Math.max(0, entries.length - limit)),
    trace: (eventId) => causalTree(entries, eventId),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

interface InvocationRecordShape {
  requestContext?: { requestId?: string; functionArn?: string };
  requestPayload?: { id?: string };
}

/**
 * An event, the results of the invocations it caused (destination events and dead letters,
 * which carry it as `requestPayload`), the events those caused, and so on; with the lines the
 * invocations printed.
 */
function causalTree(entries: readonly LogEntry[], eventId: string): LogEntry[] {
  const events = new Set([eventId]);
  const requests = new Set<string>();
  const chosen = new Set<LogEntry>();
  for (const entry of entries) {
    const { observation } = entry;
    if (observation.kind === "bus") {
      const event = observation.event;
      const record = event.detail as InvocationRecordShape | undefined;
      const cause = record?.requestPayload?.id;
      if (events.has(event.id) || (cause !== undefined && events.has(cause))) {
        events.add(event.id);
        chosen.add(entry);
        const requestId = record?.requestContext?.requestId;
        if (cause !== undefined && requestId) requests.add(requestId);
      }
    } else if (observation.kind === "queue") {
      const body = parse(observation.body) as (InvocationRecordShape & { id?: string }) | undefined;
      const cause = body?.requestPayload?.id ?? body?.id;
      if (cause !== undefined && events.has(cause)) {
        chosen.add(entry);
        const requestId = body?.requestContext?.requestId;
        if (requestId) requests.add(requestId);
      }
    }
  }
  return entries.filter(
    (entry) =>
      chosen.has(entry) ||
      (entry.observation.kind === "log" &&
        entry.observation.requestId !== undefined &&
        requests.has(entry.observation.requestId)),
  );
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
