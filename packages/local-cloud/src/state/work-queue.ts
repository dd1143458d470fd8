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
  private readonly firstRows: StatementSync;
  private readonly total: StatementSync;
  /** Rows in the table, counted here so settling needs no query. */
  private rows: number;

  constructor(state: StateDatabase) {
    const { db } = state;
    this.insert = db.prepare("INSERT INTO work (kind, due_at, state) VALUES (?, ?, ?)");
    this.change = db.prepare("UPDATE work SET due_at = ?, state = ? WHERE id = ?");
    this.drop = db.prepare("DELETE FROM work WHERE id = ?");
    this.dueRows = db.prepare(
      "SELECT id, kind, due_at, state FROM work WHERE due_at <= ? ORDER BY due_at, id LIMIT ?",
    );
    this.firstRows = db.prepare("SELECT id, due_at FROM work ORDER BY due_at, id LIMIT ?");
    this.total = db.prepare("SELECT count(*) AS n FROM work");
    this.rows = (this.total.get() as { n: number }).n;
  }

  get size(): number {
    return this.rows;
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
    const rows = this.dueRows.all(now, limit + running.size) as unknown as {
      id: number;
      kind: string;
      due_at: number;
      state: string;
    }[];
    return rows
      .filter((row) => !running.has(row.id))
      .slice(0, limit)
      .map((row) => ({
        id: row.id,
        kind: row.kind,
        dueAt: row.due_at,
        state: JSON.parse(row.state),
      }));
  }

  /** When the earliest item not in `running` is due, if there is one. */
  nextDueAt(running: ReadonlySet<number>): number | undefined {
    const rows = this.firstRows.all(running.size + 1) as unknown as {
      id: number;
      due_at: number;
    }[];
    return rows.find((row) => !running.has(row.id))?.due_at;
  }
}
