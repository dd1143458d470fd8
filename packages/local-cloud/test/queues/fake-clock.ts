import type { Clock } from "../../src/queues/index.js";

/** A clock that moves only when told to, firing due timers as it goes. */
export class FakeClock implements Clock {
  private time: number;
  private timers: { at: number; callback: () => void }[] = [];

  constructor(start = Date.UTC(2024, 0, 15, 12, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, callback: () => void): () => void {
    const timer = { at: this.time + delayMs, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward, firing each timer at its due time, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}
