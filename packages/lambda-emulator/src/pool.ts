import type { Invocation } from "./invocation.js";
import type { RuntimeProcess, RuntimeProcessEvents } from "./runtime-process.js";

/** Starts a runtime process for `first`, reporting to `events`. */
export type StartRuntime = (first: Invocation, events: RuntimeProcessEvents) => RuntimeProcess;

/**
 * Up to `limit` runtime processes, each running one invocation at a time. A new invocation goes
 * to a free warm process if there is one, else to a new process if the limit allows, else it
 * waits its turn (FIFO). This is what lets the emulator take concurrent invokes, which the
 * official RIE cannot.
 */
export class RuntimePool {
  private readonly live = new Set<RuntimeProcess>();
  /** Warm processes with nothing to run; the most recently used is reused first. */
  private readonly free: RuntimeProcess[] = [];
  private readonly waiting: Invocation[] = [];
  private stopped = false;

  private readonly events: RuntimeProcessEvents = {
    onFree: (runtime) => {
      if (!this.live.has(runtime)) return;
      this.free.push(runtime);
      this.dispatch();
    },
    onGone: (runtime) => {
      this.live.delete(runtime);
      const index = this.free.indexOf(runtime);
      if (index >= 0) this.free.splice(index, 1);
      this.dispatch();
    },
  };

  constructor(
    private readonly limit: number,
    private readonly startRuntime: StartRuntime,
  ) {}

  submit(invocation: Invocation): void {
    if (this.stopped) {
      invocation.settle({ kind: "shutdown" });
      return;
    }
    this.waiting.push(invocation);
    this.dispatch();
  }

  /** Every live process, for a last-moment kill. */
  get processes(): ReadonlySet<RuntimeProcess> {
    return this.live;
  }

  /** Refuses waiting invocations and stops every process; resolves when all are gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    for (const invocation of this.waiting.splice(0)) invocation.settle({ kind: "shutdown" });
    this.free.length = 0;
    await Promise.all([...this.live].map((runtime) => runtime.stop(graceMs)));
  }

  private dispatch(): void {
    while (!this.stopped && this.waiting.length > 0) {
      const warm = this.free.pop();
      if (warm) {
        warm.run(this.take());
      } else if (this.live.size < this.limit) {
        this.live.add(this.startRuntime(this.take(), this.events));
      } else {
        return;
      }
    }
  }

  private take(): Invocation {
    const next = this.waiting.shift();
    if (!next) throw new Error("RuntimePool: no invocation is waiting");
    return next;
  }
}
