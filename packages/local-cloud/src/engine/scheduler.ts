import type { WorkItem, WorkQueue } from "../state/work-queue.js";

export interface SchedulerOptions {
  /** Steps run at once; the rest wait in the database, not in memory. */
  readonly maxInFlight: number;
  /** Runs one step; it commits its own effects and replaces or removes its row. */
  readonly run: (item: WorkItem) => Promise<void>;
  /** A step that threw (a bug, not a delivery failure): reported, and retried later. */
  readonly onError: (item: WorkItem, error: unknown) => void;
}

/** How long a step that threw waits before it runs again. */
const ERROR_RETRY_MS = 1000;

/**
 * Runs pending work as it falls due: claims due rows up to a limit, runs them, and sleeps
 * until the next due time. Only the steps running are in memory, whatever the backlog.
 */
export class Scheduler {
  private readonly running = new Set<number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly held = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private pumpQueued = false;
  private stopped = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly work: WorkQueue,
    private readonly options: SchedulerOptions,
  ) {}

  /** Something was added or became due: look for work soon. */
  wake(): void {
    if (this.pumpQueued || this.stopped) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Resolves once no work is pending or running (retries waiting count as pending). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.checkIdle();
    });
  }

  /**
   * Stops claiming work and lets running steps finish for up to `graceMs`; what has not
   * finished stays pending in the database. Returns how many items are pending.
   */
  async stop(graceMs: number): Promise<number> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.inFlight.size > 0) {
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise((resolve) => {
          timeout = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timeout);
    }
    return this.work.size;
  }

  private pump(): void {
    if (this.stopped) return;
    const now = Date.now();
    const capacity = this.options.maxInFlight - this.running.size;
    if (capacity > 0) {
      for (const item of this.work.due(now, capacity, this.unavailable(now))) this.start(item);
    }
    this.armTimer(now);
    this.checkIdle();
  }

  /** Items running, and items that threw, held back until their retry. */
  private unavailable(now: number): ReadonlySet<number> {
    if (this.held.size === 0) return this.running;
    for (const [id, until] of this.held) if (until <= now) this.held.delete(id);
    return new Set([...this.running, ...this.held.keys()]);
  }

  private start(item: WorkItem): void {
    this.running.add(item.id);
    const step = this.options
      .run(item)
      .catch((error: unknown) => {
        if (this.stopped) return;
        this.held.set(item.id, Date.now() + ERROR_RETRY_MS);
        this.options.onError(item, error);
      })
      .finally(() => {
        this.running.delete(item.id);
        this.inFlight.delete(step);
        this.wake();
      });
    this.inFlight.add(step);
  }

  private armTimer(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running.size >= this.options.maxInFlight) return;
    const next = this.work.nextDueAt(now);
    const heldUntil = Math.min(...this.held.values());
    const at = Math.min(next ?? Number.POSITIVE_INFINITY, heldUntil);
    if (!Number.isFinite(at)) return;
    this.timer = setTimeout(() => this.pump(), Math.max(0, at - now));
  }

  private checkIdle(): void {
    if (this.waiters.length === 0 || this.work.size > 0 || this.running.size > 0) return;
    // Let work that the last step's callbacks start register before declaring calm.
    setImmediate(() => {
      if (this.work.size > 0 || this.running.size > 0) return;
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }
}
