import type { StatementSync } from "node:sqlite";
import type { Observation } from "../engine/observations.js";
import type { StateDatabase } from "./state-database.js";

/** One observation as the log keeps it. */
export interface LogEntry {
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly observation: Observation;
}

/** Everything the environment observed, in order, with the causal tree of each event. */
export interface EventLog {
  append(observation: Observation): LogEntry;
  /** Entries with seq above `seq`, ascending, at most `limit`. */
  after(seq: number, limit: number): LogEntry[];
  /** The last `limit` entries, ascending. */
  latest(limit: number): LogEntry[];
  /**
   * Every entry of the causal tree rooted at `eventId`, ascending: the event, its matches, the
   * invocations it caused with their logs and destinations, downstream events recursively,
   * dead letters.
   */
  trace(eventId: string): LogEntry[];
  /** Calls `listener` with every entry appended from now on; returns an unsubscribe. */
  subscribe(listener: (entry: LogEntry) => void): () => void;
}

export interface LogRetention {
  /** Entries older than this go. @default 86_400 (one day) */
  readonly maxAgeSeconds: number;
  /** Beyond this many entries, the oldest go. @default 100_000 */
  readonly maxEntries: number;
}

export const DEFAULT_LOG_RETENTION: LogRetention = { maxAgeSeconds: 86_400, maxEntries: 100_000 };

/** Rows deleted per pruning step: small, so pruning never holds the database for long. */
const PRUNE_BATCH = 500;

interface Row {
  seq: number;
  at: number;
  observation: string;
}

/**
 * The event log in the state database. Each entry is stored with the seq of the entry at the
 * root of its causal tree (the first event's), found at append time from the cause chain, so
 * a trace is one indexed query; the index keys grow with time, so appends touch few pages.
 */
export class SqliteEventLog implements EventLog {
  private readonly listeners = new Set<(entry: LogEntry) => void>();
  private readonly insert: StatementSync;
  private readonly rootOfEvent: StatementSync;
  private readonly rootOfRequest: StatementSync;
  private readonly byRoot: StatementSync;
  private readonly afterSeq: StatementSync;
  private readonly lastN: StatementSync;
  private readonly pruneOld: StatementSync;

  /** Roots of recent events and invocations: what comes next asks for them many times. */
  private readonly requestRoots = new Map<string, number>();
  private readonly eventRoots = new Map<string, number>();
  /** This log is the table's only writer: seqs are given here, so an entry knows its own. */
  private nextSeq: number;

  constructor(
    private readonly state: StateDatabase,
    private readonly now: () => number = Date.now,
  ) {
    const { db } = state;
    this.insert = db.prepare(
      "INSERT INTO log (seq, at, root, event_id, request_id, observation) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.rootOfEvent = db.prepare("SELECT root FROM log WHERE event_id = ? ORDER BY seq LIMIT 1");
    this.rootOfRequest = db.prepare(
      "SELECT root FROM log WHERE request_id = ? ORDER BY seq LIMIT 1",
    );
    this.nextSeq =
      ((db.prepare("SELECT MAX(seq) AS last FROM log").get() as { last: number | null }).last ??
        0) + 1;
    this.byRoot = db.prepare("SELECT seq, at, observation FROM log WHERE root = ? ORDER BY seq");
    this.afterSeq = db.prepare(
      "SELECT seq, at, observation FROM log WHERE seq > ? ORDER BY seq LIMIT ?",
    );
    this.lastN = db.prepare(
      "SELECT seq, at, observation FROM (SELECT * FROM log ORDER BY seq DESC LIMIT ?) ORDER BY seq",
    );
    // Entries are appended in time order, so the oldest are the lowest seqs: look at those only.
    this.pruneOld = db.prepare(
      `DELETE FROM log WHERE seq IN (SELECT seq FROM log ORDER BY seq LIMIT ?3)
         AND (at < ?1 OR seq <= (SELECT MAX(seq) FROM log) - ?2)`,
    );
  }

  append(observation: Observation): LogEntry {
    const at = this.now();
    const { eventId, requestId } = idsOf(observation);
    const seq = this.nextSeq;
    this.state.loose(() => {
      const root =
        this.rootFor(observation, eventId, requestId) ??
        (observation.kind === "notice" ? undefined : seq);
      if (root !== undefined) {
        if (requestId !== undefined) remember(this.requestRoots, requestId, root);
        if (eventId !== undefined) remember(this.eventRoots, eventId, root);
      }
      // Only an event's own entry and an invocation's entries are indexed by id: the index
      // grows by one row per event and attempt, not per observation.
      const indexed = indexedIds(observation);
      this.insert.run(
        seq,
        at,
        root ?? null,
        indexed.eventId ?? null,
        indexed.requestId ?? null,
        JSON.stringify(observation),
      );
      this.nextSeq = seq + 1;
    });
    const entry: LogEntry = { seq, at, observation };
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch (error) {
        process.emitWarning(`event log: a subscriber failed: ${String(error)}`);
      }
    }
    return entry;
  }

  after(seq: number, limit: number): LogEntry[] {
    return (this.afterSeq.all(seq, limit) as unknown as Row[]).map(toEntry);
  }

  latest(limit: number): LogEntry[] {
    return (this.lastN.all(limit) as unknown as Row[]).map(toEntry);
  }

  trace(eventId: string): LogEntry[] {
    const root = this.lookupEvent(eventId);
    if (root === undefined) return [];
    const tree = (this.byRoot.all(root) as unknown as Row[]).map(toEntry);
    const first = tree[0]?.observation;
    return first?.kind === "bus" && first.event.id === eventId ? tree : subtree(tree, eventId);
  }

  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Deletes one small batch of entries past the retention; returns how many went. */
  prune(retention: LogRetention): number {
    const oldest = this.now() - retention.maxAgeSeconds * 1000;
    return Number(this.pruneOld.run(oldest, retention.maxEntries, PRUNE_BATCH).changes);
  }

  /** The root of the tree an entry joins; undefined when it starts one (or is a notice). */
  private rootFor(
    observation: Observation,
    eventId: string | undefined,
    requestId: string | undefined,
  ): number | undefined {
    switch (observation.kind) {
      case "bus":
        // An event with no cause starts a tree (a replayed one, a tree of its own).
        return observation.cause && this.lookupEvent(observation.cause.eventId);
      case "notice":
        return undefined;
      default:
        return (
          (eventId !== undefined ? this.lookupEvent(eventId) : undefined) ??
          (requestId !== undefined ? this.lookupRequest(requestId) : undefined)
        );
    }
  }

  private lookupEvent(eventId: string): number | undefined {
    return (
      this.eventRoots.get(eventId) ??
      (this.rootOfEvent.get(eventId) as { root: number | null } | undefined)?.root ??
      undefined
    );
  }

  private lookupRequest(requestId: string): number | undefined {
    return (
      this.requestRoots.get(requestId) ??
      (this.rootOfRequest.get(requestId) as { root: number | null } | undefined)?.root ??
      undefined
    );
  }
}

/** Recent roots kept: enough for the work in flight, bounded whatever the load. */
const REMEMBERED_ROOTS = 4096;

/** Keeps the first root seen for an id (the tree it joined first), forgetting the oldest. */
function remember(roots: Map<string, number>, id: string, root: number): void {
  if (roots.has(id)) return;
  roots.set(id, root);
  if (roots.size > REMEMBERED_ROOTS) {
    const oldest = roots.keys().next().value;
    if (oldest !== undefined) roots.delete(oldest);
  }
}

/** The ids an entry is found by: an event by its own entry, an invocation by its entries. */
function indexedIds(observation: Observation): { eventId?: string; requestId?: string } {
  if (observation.kind === "bus") return { eventId: observation.event.id };
  if (observation.kind === "invocation") return { requestId: observation.requestId };
  return {};
}

/** The event and the asynchronous invocation an observation is about, for its root. */
function idsOf(observation: Observation): { eventId?: string; requestId?: string } {
  switch (observation.kind) {
    case "bus":
      return { eventId: observation.event.id };
    case "match":
      return { eventId: observation.eventId };
    case "invocation":
      return { eventId: observation.eventId, requestId: observation.requestId };
    case "log":
      return { requestId: observation.requestId };
    case "destination":
      // Indexed by the request: the event it put is indexed by its own bus entry.
      return { requestId: observation.requestId };
    case "queue":
      return { eventId: observation.eventId, requestId: observation.requestId };
    case "notice":
      return {};
  }
}

/** The entries of a tree that descend from `eventId` (causes come before effects). */
function subtree(tree: readonly LogEntry[], eventId: string): LogEntry[] {
  const events = new Set([eventId]);
  const requests = new Set<string>();
  return tree.filter(({ observation: o }) => {
    switch (o.kind) {
      case "bus":
        if (!events.has(o.event.id) && !(o.cause && events.has(o.cause.eventId))) return false;
        events.add(o.event.id);
        return true;
      case "match":
        return events.has(o.eventId);
      case "invocation":
        if (!(o.eventId !== undefined && events.has(o.eventId)) && !requests.has(o.requestId)) {
          return false;
        }
        requests.add(o.requestId);
        return true;
      case "log":
        return requests.has(o.requestId);
      case "destination":
        if (!requests.has(o.requestId)) return false;
        if (o.eventId !== undefined) events.add(o.eventId);
        return true;
      case "queue":
        return (
          (o.eventId !== undefined && events.has(o.eventId)) ||
          (o.requestId !== undefined && requests.has(o.requestId))
        );
      default:
        return false;
    }
  });
}

function toEntry(row: Row): LogEntry {
  return { seq: row.seq, at: row.at, observation: JSON.parse(row.observation) as Observation };
}
