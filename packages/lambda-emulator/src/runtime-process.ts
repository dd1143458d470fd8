import { type ChildProcess, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { newTraceId } from "./ids.js";
import type { Invocation, Outcome } from "./invocation.js";
import { forwardLines } from "./line-forwarder.js";
import { PeakMemoryProbe } from "./memory.js";
import type { ResolvedOptions } from "./options.js";
import { timeoutMessage } from "./outcome-response.js";
import type { PlatformLog } from "./platform-log.js";
import { type NextPoll, type Refusal, RuntimeApi, type RuntimePost } from "./runtime-api.js";
import { runtimeEnvironment } from "./runtime-env.js";

/** How a runtime process tells its pool that it can take work, or is gone. */
export interface RuntimeProcessEvents {
  /** It finished an invocation and can run another. */
  onFree(runtime: RuntimeProcess): void;
  /** It exited (or never started): it will run nothing more. */
  onGone(runtime: RuntimeProcess): void;
}

export interface RuntimeProcessConfig {
  options: ResolvedOptions;
  log: PlatformLog;
  functionArn: string;
  events: RuntimeProcessEvents;
}

/** An invocation handed to this process, with its timing. Times are performance.now() ms. */
interface Running {
  invocation: Invocation;
  /** It is the first invocation of this process, so its REPORT carries the init duration. */
  cold: boolean;
  /** When the runtime took the event from invocation/next. */
  deliveredAt?: number;
  timer: NodeJS.Timeout | undefined;
}

/** After init/error the runtime exits by itself; this is how long we wait before making sure. */
const INIT_ERROR_EXIT_GRACE_MS = 2_000;

/**
 * One execution environment: a runtime process (the real aws-lambda-ric), its Runtime API
 * server, and the invocation it is running. It runs one invocation at a time, as in Lambda.
 */
export class RuntimeProcess {
  /** Resolves once the process has exited (or failed to start) and its server is closed. */
  readonly gone: Promise<void>;
  private markGone!: () => void;

  private child: ChildProcess | undefined;
  private api: RuntimeApi | undefined;
  private poll: NextPoll | undefined;
  private current: Running | undefined;
  private readonly spawnedAt = performance.now();
  /** When the runtime first asked for an event, or failed trying. */
  private initEndedAt: number | undefined;
  private invocationsRun = 0;
  private memory: PeakMemoryProbe | undefined;
  /** Takes no more invocations (timed out, failed init or being stopped). */
  private retiring = false;
  private stopping = false;
  private exited = false;

  private constructor(private readonly config: RuntimeProcessConfig) {
    this.gone = new Promise((resolve) => {
      this.markGone = resolve;
    });
  }

  /**
   * Starts a process for `first`, the invocation that needs it (a cold start), or with none
   * (warming up): it then takes the next run() once its runtime asks for an event.
   */
  static start(config: RuntimeProcessConfig, first: Invocation | undefined): RuntimeProcess {
    const runtime = new RuntimeProcess(config);
    if (first) runtime.run(first);
    void runtime.launch();
    return runtime;
  }

  /** Hands an invocation to this process; it is delivered when the runtime asks for one. */
  run(invocation: Invocation): void {
    if (this.current || this.retiring) {
      throw new Error("RuntimeProcess.run: the process is busy or retiring");
    }
    this.config.log.start(invocation.requestId);
    this.current = {
      invocation,
      cold: this.invocationsRun === 0,
      // Until the runtime takes the event this bounds init, so a hung init cannot hang callers.
      timer: this.armTimeout(),
    };
    this.invocationsRun += 1;
    this.deliverIfAsked();
  }

  /** Stops the process: SIGTERM, then SIGKILL after `graceMs`. Resolves when it is gone. */
  stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.retiring = true;
    this.kill(graceMs);
    return this.gone;
  }

  /** For a last-moment cleanup in a process "exit" handler, where nothing async runs. */
  killNow(): void {
    if (!this.exited) this.child?.kill("SIGKILL");
  }

  private async launch(): Promise<void> {
    const { options } = this.config;
    try {
      this.api = await RuntimeApi.listen(this.apiHandler, options.maxPayloadBytes);
    } catch (error) {
      this.onExited(`Runtime API could not listen: ${String(error)}`, "Runtime.Unknown");
      return;
    }
    if (this.retiring) {
      // Stopped (or timed out) while the server was starting: there is nothing to run.
      this.onExited("the runtime was not started");
      return;
    }
    const [program = "", ...args] = options.command;
    const child = spawn(program, args, {
      cwd: options.taskRoot,
      env: runtimeEnvironment(options, this.api.address),
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    if (child.pid !== undefined) this.memory = new PeakMemoryProbe(child.pid);
    if (child.stdout) forwardLines(child.stdout, options.output);
    if (child.stderr) forwardLines(child.stderr, options.output);
    child.once("exit", (code, signal) => this.onExited(describeExit(code, signal)));
    child.on("error", (error) => {
      // Without a pid the program never ran (not found, not executable): Lambda calls that an
      // invalid entrypoint. Other errors (a failed kill) change nothing.
      if (child.pid === undefined) this.onExited(error.message, "Runtime.InvalidEntrypoint");
    });
  }

  private readonly apiHandler = {
    next: (poll: NextPoll) => this.onNext(poll),
    post: (post: RuntimePost) => this.onPost(post),
    oversizedPost: (requestId: string | undefined) => {
      const running = this.current;
      if (running && requestId === running.invocation.requestId) {
        this.finish(running, {
          kind: "response-too-large",
          limitBytes: this.config.options.maxPayloadBytes,
        });
      }
    },
  };

  private onNext(poll: NextPoll): void {
    if (this.initEndedAt === undefined) {
      this.initEndedAt = performance.now();
      // The process may die before its first REPORT: have its start-up peak already.
      this.sampleMemory();
    }
    this.poll = poll;
    poll.onClose(() => {
      if (this.poll === poll) this.poll = undefined;
    });
    this.deliverIfAsked();
  }

  private deliverIfAsked(): void {
    const running = this.current;
    const poll = this.poll;
    if (!running || running.deliveredAt !== undefined || !poll?.open) return;
    this.poll = undefined;
    running.deliveredAt = performance.now();
    // The function's timeout runs from here: init has its own clock, as in Lambda.
    clearTimeout(running.timer);
    running.timer = this.armTimeout();
    const { options, functionArn } = this.config;
    poll.deliver({
      requestId: running.invocation.requestId,
      payload: running.invocation.payload,
      deadlineMs: Date.now() + options.timeoutSeconds * 1000,
      functionArn,
      traceId: newTraceId(),
      clientContext: running.invocation.clientContext,
    });
  }

  private onPost(post: RuntimePost): Refusal | undefined {
    if (post.kind === "init-error") {
      if (this.initEndedAt !== undefined) {
        return {
          statusCode: 403,
          errorType: "InvalidStateTransition",
          errorMessage: "init/error is only allowed before the runtime's first invocation/next",
        };
      }
      this.initEndedAt = performance.now();
      this.retiring = true;
      this.sampleMemory();
      if (this.current) this.finish(this.current, { kind: "init-error", body: post.body });
      // aws-lambda-ric exits by itself right after reporting; a runtime that does not is made to.
      const timer = setTimeout(() => this.kill(0), INIT_ERROR_EXIT_GRACE_MS);
      void this.gone.then(() => clearTimeout(timer));
      return undefined;
    }
    const running = this.current;
    if (running?.deliveredAt === undefined || running.invocation.requestId !== post.requestId) {
      return {
        statusCode: 400,
        errorType: "InvalidRequestID",
        errorMessage: `No invocation ${post.requestId} is running in this runtime`,
      };
    }
    this.finish(
      running,
      post.kind === "response"
        ? { kind: "success", body: post.body, contentType: post.contentType }
        : { kind: "function-error", body: post.body },
    );
    return undefined;
  }

  private armTimeout(): NodeJS.Timeout | undefined {
    // Under a debugger, a handler stopped at a breakpoint must not be timed out and killed.
    if (this.config.options.inspect) return undefined;
    return setTimeout(() => this.onTimeout(), this.config.options.timeoutSeconds * 1000);
  }

  private onTimeout(): void {
    const running = this.current;
    if (!running) return;
    const { timeoutSeconds } = this.config.options;
    this.retiring = true;
    this.sampleMemory();
    this.config.log.message(running.invocation.requestId, timeoutMessage(timeoutSeconds));
    this.finish(running, { kind: "timeout", timeoutSeconds });
    // Lambda does not let a timed-out runtime finish: the next invocation gets a fresh one.
    this.kill(0);
  }

  private onExited(description: string, errorType = "Runtime.ExitError"): void {
    if (this.exited) return;
    this.exited = true;
    if (!this.current && !this.retiring) {
      // Nobody else would hear of it (e.g. a crash after the last response).
      this.config.log.line(
        `lambda-emulator: runtime process ${this.child?.pid} exited while idle: ${description}`,
      );
    }
    this.retiring = true;
    this.initEndedAt ??= performance.now();
    this.poll = undefined;
    const running = this.current;
    if (running) {
      const { requestId } = running.invocation;
      if (this.stopping) {
        this.finish(running, { kind: "shutdown" });
      } else {
        const errorMessage = `RequestId: ${requestId} Error: ${description}`;
        this.config.log.line(`${errorMessage}\n${errorType}`);
        this.finish(running, { kind: "runtime-error", errorType, errorMessage });
      }
    }
    this.memory?.close();
    // Tell the pool at once, so it never hands this process more work.
    this.config.events.onGone(this);
    const closed = this.api?.close() ?? Promise.resolve();
    void closed.then(() => this.markGone());
  }

  /** Ends the running invocation: END and REPORT lines, then its outcome, then more work. */
  private finish(running: Running, outcome: Outcome): void {
    clearTimeout(running.timer);
    if (this.current === running) this.current = undefined;
    const endedAt = performance.now();
    const initEndedAt = this.initEndedAt ?? endedAt;
    // Lines the handler printed just before answering come through a pipe: give them this
    // turn of the event loop to reach the output before END. (It also lets the runtime have
    // its answer before the memory sample below.)
    setImmediate(() => {
      this.sampleMemory();
      this.config.log.end({
        requestId: running.invocation.requestId,
        initDurationMs: running.cold ? initEndedAt - this.spawnedAt : undefined,
        // Zero when the runtime never took the event (it failed to start).
        durationMs: endedAt - (running.deliveredAt ?? endedAt),
        memorySizeMb: this.config.options.memorySizeMb,
        maxMemoryUsedMb: this.memory?.peakMb ?? 0,
      });
      running.invocation.settle(outcome);
      if (!this.retiring) this.config.events.onFree(this);
    });
  }

  private kill(graceMs: number): void {
    const child = this.child;
    if (!child || this.exited) return;
    if (graceMs <= 0) {
      child.kill("SIGKILL");
      return;
    }
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    void this.gone.then(() => clearTimeout(timer));
  }

  private sampleMemory(): void {
    if (!this.exited) this.memory?.sample();
  }
}

/** Says how the process ended in the words the RIE (a Go program) uses. */
function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `Runtime exited with error: signal: ${signal}`;
  if (code === 0) return "Runtime exited without providing a reason";
  return `Runtime exited with error: exit status ${code}`;
}
