import type { StatementSync } from "node:sqlite";
import type { BusEvent } from "../bus-event.js";
import type { StateDatabase } from "./state-database.js";

const PRUNE_BATCH = 500;

/** What archives keep, in the state database: each event with when it was archived. */
export class ArchiveStore {
  private readonly insert: StatementSync;
  private readonly select: StatementSync;
  private readonly pruneOld: StatementSync;

  constructor(state: StateDatabase) {
    const { db } = state;
    this.insert = db.prepare(
      "INSERT INTO archive_events (bus, archive, at, event) VALUES (?, ?, ?, ?)",
    );
    this.select = db.prepare(
      "SELECT seq, at, event FROM archive_events WHERE bus = ? AND archive = ? AND at >= ? AND at < ? AND seq > ? ORDER BY seq LIMIT ?",
    );
    this.pruneOld = db.prepare(
      "DELETE FROM archive_events WHERE seq IN (SELECT seq FROM archive_events WHERE bus = ? AND archive = ? AND at < ? ORDER BY seq LIMIT ?)",
    );
  }

  keep(bus: string, archive: string, event: BusEvent, at: number): void {
    this.insert.run(bus, archive, at, JSON.stringify(event));
  }

  /**
   * Archived events with `from <= at < to`, in archive order, read in pages so a large
   * archive is never all in memory.
   */
  *events(
    bus: string,
    archive: string,
    from = 0,
    to = Number.MAX_SAFE_INTEGER,
  ): Generator<BusEvent> {
    let seq = 0;
    for (;;) {
      const rows = this.select.all(bus, archive, from, to, seq, 500) as unknown as {
        seq: number;
        event: string;
      }[];
      for (const row of rows) yield JSON.parse(row.event) as BusEvent;
      if (rows.length < 500) return;
      seq = rows.at(-1)?.seq ?? seq;
    }
  }

  /** Deletes one batch of events archived before `before`; returns how many went. */
  prune(bus: string, archive: string, before: number): number {
    return Number(this.pruneOld.run(bus, archive, before, PRUNE_BATCH).changes);
  }
}
