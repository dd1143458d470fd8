import type { LocalModel } from "@ebsvc/cloud-assembly";
import { ArchiveStore } from "./archive-store.js";
import type { LogRetention, SqliteEventLog } from "./event-log.js";
import type { StateDatabase } from "./state-database.js";

const EVERY_MS = 1000;
const DAY_MS = 86_400_000;

/**
 * Prunes in the background, in small batches: the event log to its retention, each archive
 * to its RetentionDays (none keeps events indefinitely, as EventBridge does).
 */
export class Retention {
  private readonly timer: NodeJS.Timeout;

  constructor(
    state: StateDatabase,
    log: SqliteEventLog,
    model: LocalModel,
    retention: LogRetention,
  ) {
    const archives = new ArchiveStore(state);
    const kept = model.archives.filter((archive) => (archive.retentionDays ?? 0) > 0);
    this.timer = setInterval(() => {
      if (!state.db.isOpen) return;
      log.prune(retention);
      const now = Date.now();
      for (const archive of kept) {
        archives.prune(archive.busName, archive.name, now - (archive.retentionDays ?? 0) * DAY_MS);
      }
    }, EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
