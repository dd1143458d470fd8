import type { Clock } from "./clock.js";

interface Waiter<R, T> {
  request: R;
  deadline: number;
  resolve(messages: T[]): void;
  cancelTimer(): void;
  signal: AbortSignal | undefined;
  onAbort(): void;
}

/**
 * Receives that are long polling: each ends as soon as a message can be taken for it (first
 * come, first served), or with none at its deadline. Between sends, a waiter also wakes when
 * the next hidden message (delayed or in flight) becomes visible.
 */
export class WaitingReceives<R, T> {
  private readonly waiters: Waiter<R, T>[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly take: (request: R) => T[],
    private readonly nextVisibleAt: () => number | undefined,
  ) {}

  add(request: R, waitMs: number, signal?: AbortSignal): Promise<T[]> {
    return new Promise((resolve) => {
      const waiter: Waiter<R, T> = {
        request,
        deadline: this.clock.now() + waitMs,
        resolve,
        cancelTimer: () => {},
        signal,
        onAbort: () => this.finish(waiter, []),
      };
      this.waiters.push(waiter);
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.schedule(waiter);
    });
  }

  /** Something may be receivable now: serve waiters in arrival order. */
  wake(): void {
    for (const waiter of [...this.waiters]) {
      const taken = this.take(waiter.request);
      if (taken.length > 0) this.finish(waiter, taken);
      else this.schedule(waiter);
    }
  }

  /** Ends every wait with no messages. */
  endAll(): void {
    for (const waiter of [...this.waiters]) this.finish(waiter, []);
  }

  private schedule(waiter: Waiter<R, T>): void {
    waiter.cancelTimer();
    const now = this.clock.now();
    const next = this.nextVisibleAt();
    const at = next === undefined ? waiter.deadline : Math.min(next, waiter.deadline);
    waiter.cancelTimer = this.clock.setTimer(Math.max(0, at - now), () => {
      const taken = this.take(waiter.request);
      if (taken.length > 0 || this.clock.now() >= waiter.deadline) this.finish(waiter, taken);
      else this.schedule(waiter);
    });
  }

  private finish(waiter: Waiter<R, T>, messages: T[]): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    waiter.cancelTimer();
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(messages);
  }
}
