import type { Invocation } from "./invocation.js";
import type { RuntimeProcess, RuntimeProcessEvents } from "./runtime-process.js";

/** Starts a runtime process for `first` (or, warming up, for none), reporting to `events`. */
export type StartRuntime = (
  first: Invocation | undefined,
  events: RuntimeProcessEvents,
) => RuntimeProcess;

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
  /** Processes started before the last reload(): they finish what they run, then stop. */
  private readonly stale = new Set<RuntimeProcess>();
  private stopped = false;
  /** Start one process ahead of any invocation as soon as the limit allows (see warm()). */
  private warmWanted = false;

  private readonly events: RuntimeProcessEvents = {
    onFree: (runtime) => {
      if (!this.live.has(runtime)) return;
      if (this.stale.has(runtime)) {
        void runtime.stop(this.graceMs);
        return;
      }
      this.free.push(runtime);
      this.dispatch();
    },
    onGone: (runtime) => {
      this.live.delete(runtime);
      this.stale.delete(runtime);
      const index = this.free.indexOf(runtime);
      if (index >= 0) this.free.splice(index, 1);
      this.dispatch();
    },
  };

  constructor(
    private readonly limit: number,
    private readonly startRuntime: StartRuntime,
    /** How long a retired process gets to exit on SIGTERM before SIGKILL. */
    private readonly graceMs = 500,
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

  /**
   * For a new bundle: idle processes stop now, busy ones finish their invocation on the code
   * they loaded and then stop; invocations from now on (and those waiting) get new processes.
   * A retiring process still counts toward the limit until it is gone, so with a limit of 1
   * the next process starts only once the old one has exited (and freed, say, its inspector
   * port).
   */
  reload(): void {
    for (const runtime of this.free.splice(0)) void runtime.stop(this.graceMs);
    for (const runtime of this.live) this.stale.add(runtime);
  }

  /**
   * Starts a process before any invocation needs it (once the limit allows): after a reload,
   * so that the next invocation finds the new code loaded; under the inspector, so that a
   * debugger can attach and set breakpoints before the first event.
   */
  warm(): void {
    this.warmWanted = true;
    this.dispatch();
  }

  /** Refuses waiting invocations and stops every process; resolves when all are gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    for (const invocation of this.waiting.splice(0)) invocation.settle({ kind: "shutdown" });
    this.free.length = 0;
    await Promise.all([...this.live].map((runtime) => runtime.stop(graceMs)));
  }

  private dispatch(): void {
    if (this.warmWanted && !this.stopped && this.waiting.length === 0) {
      if (this.free.length > 0) this.warmWanted = false;
      else if (this.live.size < this.limit) {
        this.warmWanted = false;
        const runtime = this.startRuntime(undefined, this.events);
        this.live.add(runtime);
        this.free.push(runtime);
      }
    }
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
