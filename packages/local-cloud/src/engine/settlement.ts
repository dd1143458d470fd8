/**
 * Counts work in flight (deliveries, invocations, waits before a retry), so a caller can wait
 * until everything an event caused has happened: `pnpm send` exits only then.
 */
export class Settlement {
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  /** Runs `work`, counting it as in flight until it settles. Errors are the caller's. */
  track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    let result: Promise<T>;
    try {
      result = work();
    } catch (error) {
      result = Promise.reject(error);
    }
    return result.finally(() => {
      this.inFlight -= 1;
      if (this.inFlight === 0) {
        // Let work started by the last step's callbacks register before declaring calm.
        setImmediate(() => {
          if (this.inFlight !== 0) return;
          const waiters = this.waiters;
          this.waiters = [];
          for (const wake of waiters) wake();
        });
      }
    });
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves once nothing is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
