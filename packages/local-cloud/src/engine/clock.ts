/**
 * Time as the environment sees it. AWS waits minutes between retries; `scale` shrinks every
 * wait and every age by the same factor (0.001 turns a minute into 60 ms), so retries and
 * expiry keep their order and proportions in tests.
 */
export class Clock {
  private readonly timers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private stopped = false;

  constructor(readonly scale = 1) {
    if (!(scale > 0) || !Number.isFinite(scale)) {
      throw new RangeError(`time scale is ${scale}; allowed: a number above 0`);
    }
  }

  /** Milliseconds since the epoch, for timestamps. */
  now(): number {
    return Date.now();
  }

  /** Seconds of AWS time elapsed since `startMs` (a `now()` value). */
  ageSeconds(startMs: number): number {
    return (Date.now() - startMs) / 1000 / this.scale;
  }

  /** Waits `seconds` of AWS time; resolves false at once if the environment stops meanwhile. */
  sleep(seconds: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(
          () => {
            this.timers.delete(entry);
            resolve(true);
          },
          seconds * 1000 * this.scale,
        ),
        wake: () => resolve(false),
      };
      this.timers.add(entry);
    });
  }

  /** Cancels every wait: pending retries give up. */
  stop(): void {
    this.stopped = true;
    for (const entry of this.timers) {
      clearTimeout(entry.timer);
      entry.wake();
    }
    this.timers.clear();
  }
}
