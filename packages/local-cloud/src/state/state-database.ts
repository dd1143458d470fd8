import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";

/** The schema this build writes, kept in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 1;

/**
 * Each entry migrates from the version before it to its index + 1. Version 0 is an empty file.
 * A later schema appends its step here; files of any earlier version are brought forward.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    root INTEGER,
    event_id TEXT,
    request_id TEXT,
    observation TEXT NOT NULL
  );
  CREATE INDEX log_root ON log (root, seq);
  CREATE INDEX log_event ON log (event_id) WHERE event_id IS NOT NULL;
  CREATE INDEX log_request ON log (request_id) WHERE request_id IS NOT NULL;

  CREATE TABLE work (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    state TEXT NOT NULL
  );
  CREATE INDEX work_due ON work (due_at, id);

  CREATE TABLE archive_events (
    seq INTEGER PRIMARY KEY,
    bus TEXT NOT NULL,
    archive TEXT NOT NULL,
    at INTEGER NOT NULL,
    event TEXT NOT NULL
  );
  CREATE INDEX archive_events_at ON archive_events (bus, archive, at);

  CREATE TABLE queue_messages (
    seq INTEGER PRIMARY KEY,
    queue TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    attributes TEXT NOT NULL,
    md5_body TEXT NOT NULL,
    md5_attributes TEXT,
    trace_header TEXT,
    sent_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL,
    first_received_at INTEGER
  );
  CREATE INDEX queue_messages_order ON queue_messages (queue, seq);
  CREATE INDEX queue_messages_visible ON queue_messages (queue, visible_at);
  CREATE INDEX queue_messages_sent ON queue_messages (queue, sent_at);
  `,
];

/** How long steps and log lines gather before their batch is committed. */
const BATCH_MS = 20;

/** The state file cannot be used: one line for the user, naming the file. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

/**
 * The environment's state in one SQLite database: queues and their messages, pending
 * deliveries and invocations, archives and the event log. WAL with synchronous=NORMAL: a
 * committed transaction is in the WAL file before the commit returns, so a crash of this
 * process (SIGKILL included) loses nothing committed; only a power loss or OS crash can lose
 * the last transactions, which a local development environment accepts for the speed.
 */
export class StateDatabase {
  readonly db: DatabaseSync;
  private depth = 0;
  /** A transaction open for steps and loose writes, committed on the next turn of the loop. */
  private batchOpen = false;

  /** `:memory:` keeps everything in memory (nothing survives the process). */
  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new DatabaseSync(path);
    } catch (error) {
      throw new StateFileError(`state file ${path}: cannot open it: ${(error as Error).message}`);
    }
    try {
      this.db.exec(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864;",
      );
      this.migrate();
    } catch (error) {
      this.db.close();
      if (error instanceof StateFileError) throw error;
      throw new StateFileError(`state file ${path}: ${(error as Error).message}`);
    }
  }

  get version(): number {
    const row = this.db.prepare("PRAGMA user_version").get() as { user_version: number };
    return row.user_version;
  }

  private migrate(): void {
    const found = this.version;
    if (found > SCHEMA_VERSION) {
      throw new StateFileError(
        `state file ${this.path} has schema version ${found}, newer than this local-cloud's ${SCHEMA_VERSION}; use a newer local-cloud, or --fresh / --state <another file>`,
      );
    }
    for (let version = found; version < SCHEMA_VERSION; version++) {
      this.transaction(() => {
        this.db.exec(MIGRATIONS[version] ?? "");
        this.db.exec(`PRAGMA user_version = ${version + 1}`);
      });
    }
  }

  /**
   * Runs `work` in one transaction (a nested call joins the outer one): everything it writes
   * is committed together, or, if it throws, nothing is.
   */
  transaction<T>(work: () => T): T {
    if (this.depth > 0) {
      this.depth++;
      try {
        return work();
      } finally {
        this.depth--;
      }
    }
    // Loose writes made before are committed first: this transaction's commit is its own.
    this.flush();
    this.db.exec("BEGIN");
    this.depth = 1;
    try {
      const result = work();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    } finally {
      this.depth = 0;
    }
  }

  /**
   * Runs a step of work atomically, committed with the batch of this turn of the event loop
   * rather than on its own: a burst of steps costs one commit. A crash can lose the last
   * batch whole, and then its steps (whose pending rows it would have changed) run again:
   * at least once, never half. Requests answered as accepted use transaction() instead.
   */
  batched<T>(work: () => T): T {
    if (this.depth > 0) return this.transaction(work);
    this.openBatch();
    this.db.exec("SAVEPOINT step");
    this.depth = 1;
    try {
      const result = work();
      this.db.exec("RELEASE step");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK TO step");
      this.db.exec("RELEASE step");
      throw error;
    } finally {
      this.depth = 0;
    }
  }

  /** A single write that need not be durable at once (an event log line): joins the batch. */
  loose<T>(work: () => T): T {
    if (this.depth === 0) this.openBatch();
    return work();
  }

  private openBatch(): void {
    if (this.batchOpen) return;
    this.db.exec("BEGIN");
    this.batchOpen = true;
    setTimeout(() => this.flush(), BATCH_MS);
  }

  /** Commits the batch of steps and loose writes, if one is open. */
  flush(): void {
    if (!this.batchOpen) return;
    this.batchOpen = false;
    if (this.db.isOpen) this.db.exec("COMMIT");
  }

  close(): void {
    this.flush();
    if (this.db.isOpen) this.db.close();
  }
}
