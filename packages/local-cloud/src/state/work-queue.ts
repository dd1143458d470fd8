import type { StatementSync } from "node:sqlite";
import type { StateDatabase } from "./state-database.js";

/** A step the environment still owes: a delivery to a target, an asynchronous invocation. */
export interface WorkItem {
  readonly id: number;
  readonly kind: string;
  /** Milliseconds since the epoch (wall clock) from which the step may run. */
  readonly dueAt: number;
  readonly state: unknown;
}

/**
 * Pending work in the state database. A step's row is replaced or removed in the same
 * transaction as the step's effects, so after a crash each step either happened entirely
 * or is still pending (and runs again: at least once, as AWS promises).
 */
export class WorkQueue {
  private readonly insert: StatementSync;
  private readonly change: StatementSync;
  private readonly drop: StatementSync;
  private readonly dueRows: StatementSync;
  private readonly byId: StatementSync;
  private readonly dueAfter: StatementSync;
  private readonly firstFuture: StatementSync;
  /** The last row handed out: the rows before it are mostly running, so look after it first. */
  private cursor = { dueAt: Number.NEGATIVE_INFINITY, id: 0 };
  private readonly total: StatementSync;
  /** Rows in the table, counted here so settling needs no query. */
  private rows: number;

  constructor(state: StateDatabase) {
    const { db } = state;
    this.insert = db.prepare("INSERT INTO work (kind, due_at, state) VALUES (?, ?, ?)");
    this.change = db.prepare("UPDATE work SET due_at = ?, state = ? WHERE id = ?");
    this.drop = db.prepare("DELETE FROM work WHERE id = ?");
    // Ids only (the index covers them): only the rows chosen are read and parsed.
    this.dueRows = db.prepare(
      "SELECT id, due_at FROM work WHERE due_at <= ? ORDER BY due_at, id LIMIT ?",
    );
    this.byId = db.prepare("SELECT kind, state FROM work WHERE id = ?");
    this.dueAfter = db.prepare(
      `SELECT id, due_at FROM work WHERE due_at <= ?1 AND (due_at > ?2 OR (due_at = ?2 AND id > ?3))
       ORDER BY due_at, id LIMIT ?4`,
    );
    this.firstFuture = db.prepare("SELECT MIN(due_at) AS next FROM work WHERE due_at > ?");
    this.total = db.prepare("SELECT count(*) AS n FROM work");
    this.rows = (this.total.get() as { n: number }).n;
  }

  get size(): number {
    return this.rows;
  }

  /** Counts the rows again, after another writer (a model being swapped out) added some. */
  recount(): void {
    this.rows = (this.total.get() as { n: number }).n;
  }

  add(kind: string, dueAt: number, state: unknown): number {
    this.rows++;
    return Number(this.insert.run(kind, dueAt, JSON.stringify(state)).lastInsertRowid);
  }

  update(id: number, dueAt: number, state: unknown): void {
    this.change.run(dueAt, JSON.stringify(state), id);
  }

  remove(id: number): void {
    this.rows -= Number(this.drop.run(id).changes);
  }

  /** Up to `limit` items due by `now`, earliest first, leaving out those in `running`. */
  due(now: number, limit: number, running: ReadonlySet<number>): WorkItem[] {
    type Row = { id: number; due_at: number };
    let rows = this.dueAfter.all(now, this.cursor.dueAt, this.cursor.id, limit) as unknown as Row[];
    if (rows.length < limit) {
      // Too few after the cursor: look from the start, past the rows running.
      rows = this.dueRows.all(now, limit + running.size) as unknown as Row[];
    }
    const chosen = rows.filter((row) => !running.has(row.id)).slice(0, limit);
    const last = chosen.at(-1);
    if (last) this.cursor = { dueAt: last.due_at, id: last.id };
    return chosen.flatMap((row) => {
      const found = this.byId.get(row.id) as { kind: string; state: string } | undefined;
      return found
        ? [{ id: row.id, kind: found.kind, dueAt: row.due_at, state: JSON.parse(found.state) }]
        : [];
    });
  }

  /**
   * When the earliest item due after `now` is due. Items due by now are running or were just
   * passed over for want of capacity: a step ending wakes the scheduler for those.
   */
  nextDueAt(now: number): number | undefined {
    return (this.firstFuture.get(now) as { next: number | null }).next ?? undefined;
  }
}
