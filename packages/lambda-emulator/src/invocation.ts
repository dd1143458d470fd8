import { newRequestId } from "./ids.js";
import type { LogTail } from "./log-tail.js";

/** How an invocation ended, as seen by the emulator. */
export type Outcome =
  /** The runtime posted a response: its body, byte for byte. */
  | { kind: "success"; body: Buffer; contentType: string | undefined }
  /** The runtime posted an invocation error (the handler threw). */
  | { kind: "function-error"; body: Buffer }
  /** The runtime posted init/error (the handler module failed to load). */
  | { kind: "init-error"; body: Buffer }
  /** The runtime could not be started, or exited before it answered. */
  | { kind: "runtime-error"; errorType: string; errorMessage: string }
  /** The runtime posted a response larger than the payload limit. */
  | { kind: "response-too-large"; limitBytes: number }
  | { kind: "timeout"; timeoutSeconds: number }
  /** The runtime process went over the function's memory size and was killed. */
  | { kind: "out-of-memory"; errorMessage: string }
  /** The emulator stopped before the invocation finished. */
  | { kind: "shutdown" };

/** What the caller asked for besides the event. */
export interface InvocationContext {
  /** The client context as compact ASCII JSON, if the caller sent one. */
  readonly clientContext?: string;
  /** The caller's `X-Amzn-Trace-Id`, passed to the runtime as `Lambda-Runtime-Trace-Id`. */
  readonly traceId?: string;
  /** Collects the invocation's log when the caller asked for it (`X-Amz-Log-Type: Tail`). */
  readonly logTail?: LogTail;
}

/** One invocation: its event, and a promise for how it ended (settled once). */
export class Invocation {
  readonly requestId = newRequestId();
  readonly outcome: Promise<Outcome>;
  private resolveOutcome!: (outcome: Outcome) => void;
  private isSettled = false;

  constructor(
    /** The event as the caller sent it (valid JSON). */
    readonly payload: Buffer,
    readonly context: InvocationContext = {},
  ) {
    this.outcome = new Promise((resolve) => {
      this.resolveOutcome = resolve;
    });
  }

  get settled(): boolean {
    return this.isSettled;
  }

  /** Records how the invocation ended; returns false (and changes nothing) if it already had. */
  settle(outcome: Outcome): boolean {
    if (this.isSettled) return false;
    this.isSettled = true;
    this.resolveOutcome(outcome);
    return true;
  }
}
