/**
 * Time as the environment sees it. AWS waits minutes between retries; `scale` shrinks every
 * wait and every age by the same factor (0.001 turns a minute into 60 ms), so retries and
 * expiry keep their order and proportions in tests. Waits are wall-clock due times, so they
 * survive a restart.
 */
export class Clock {
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

  /** The wall-clock time (ms) `seconds` of AWS time from now. */
  after(seconds: number): number {
    return Date.now() + seconds * 1000 * this.scale;
  }
}
