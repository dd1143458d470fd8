import { type ChildProcess, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { Readable } from "node:stream";
import { newTraceId } from "./ids.js";
import type { Invocation, Outcome } from "./invocation.js";
import { forwardLines } from "./line-forwarder.js";
import { PeakMemoryProbe } from "./memory.js";
import type { ResolvedOptions } from "./options.js";
import { timeoutMessage } from "./outcome-response.js";
import type { PlatformLog } from "./platform-log.js";
import { type NextPoll, type Refusal, RuntimeApi, type RuntimePost } from "./runtime-api.js";
import { runtimeEnvironment } from "./runtime-env.js";
import { forwardFrames } from "./telemetry-frames.js";

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
 * How often a busy runtime's peak memory is read against the function's memory size. The peak
 * (VmHWM) never falls, so a spike between two reads is still caught at the next one.
 */
const MEMORY_CHECK_MS = 10;
/** Most event-loop rounds spent reading output a runtime wrote before it answered. */
const MAX_DRAIN_ROUNDS = 50;

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
  /** The invocation that just ended, while its last output is read (before END). */
  private ending: Running | undefined;
  private readonly spawnedAt = performance.now();
  /** When the runtime first asked for an event, or failed trying. */
  private initEndedAt: number | undefined;
  private invocationsRun = 0;
  private memory: PeakMemoryProbe | undefined;
  private memoryCheck: NodeJS.Timeout | undefined;
  /** Chunks read from the runtime's stdout and stderr, to tell when its pipes are drained. */
  private outputChunks = 0;
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
    const start = this.config.log.start(invocation.requestId);
    invocation.context.logTail?.append(start);
    this.current = {
      invocation,
      cold: this.invocationsRun === 0,
      // Until the runtime takes the event this bounds init, so a hung init cannot hang callers.
      timer: this.armTimeout(),
    };
    this.invocationsRun += 1;
    // Lambda freezes an idle environment: memory is watched only while there is work.
    this.memoryCheck ??= setInterval(() => this.checkMemory(), MEMORY_CHECK_MS).unref();
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
      // stdin, stdout, stderr, and the telemetry log descriptor (TELEMETRY_FD).
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    this.child = child;
    if (child.pid !== undefined) this.memory = new PeakMemoryProbe(child.pid);
    const telemetry = child.stdio[3] as Readable | null | undefined;
    for (const stream of [child.stdout, child.stderr, telemetry]) {
      if (!stream) continue;
      if (stream === telemetry) forwardFrames(stream, this.writeOutput);
      else forwardLines(stream, this.writeOutput);
      stream.on("data", () => {
        this.outputChunks += 1;
      });
    }
    child.once("exit", (code, signal) => this.onExited(describeExit(code, signal)));
    child.on("error", (error) => {
      // Without a pid the program never ran (not found, not executable): Lambda calls that an
      // invalid entrypoint. Other errors (a failed kill) change nothing.
      if (child.pid === undefined) this.onExited(error.message, "Runtime.InvalidEntrypoint");
    });
  }

  /** Runtime output goes to the emulator's output and to the running invocation's log tail. */
  private readonly writeOutput = (text: string): void => {
    this.config.options.output.write(text);
    (this.current ?? this.ending)?.invocation.context.logTail?.append(text);
  };

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
      traceId: running.invocation.context.traceId ?? newTraceId(),
      clientContext: running.invocation.context.clientContext,
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
    this.logFor(
      running,
      this.config.log.message(running.invocation.requestId, timeoutMessage(timeoutSeconds)),
    );
    this.finish(running, { kind: "timeout", timeoutSeconds });
    // Lambda does not let a timed-out runtime finish: the next invocation gets a fresh one.
    this.kill(0);
  }

  /**
   * Lambda's limit is the function's memory size: a runtime that goes over it is killed
   * (SIGKILL, as the kernel's OOM killer does in Lambda) and the invocation fails with
   * `Runtime.OutOfMemory`. The next invocation gets a fresh runtime.
   */
  private checkMemory(): void {
    const running = this.current;
    if (!running || this.exited || !this.memory) return;
    this.memory.sample();
    if (this.memory.peakMb <= this.config.options.memorySizeMb) return;
    this.retiring = true;
    const errorMessage = `RequestId: ${running.invocation.requestId} Error: Runtime exited with error: signal: killed`;
    this.kill(0);
    this.logFor(running, this.config.log.line(`${errorMessage}\nRuntime.OutOfMemory`));
    this.finish(running, { kind: "out-of-memory", errorMessage });
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
        this.logFor(running, this.config.log.line(`${errorMessage}\n${errorType}`));
        this.finish(running, { kind: "runtime-error", errorType, errorMessage });
      }
    }
    this.memory?.close();
    this.stopMemoryCheck();
    // Tell the pool at once, so it never hands this process more work.
    this.config.events.onGone(this);
    const closed = this.api?.close() ?? Promise.resolve();
    void closed.then(() => this.markGone());
  }

  /** Ends the running invocation: END and REPORT lines, then its outcome, then more work. */
  private finish(running: Running, outcome: Outcome): void {
    clearTimeout(running.timer);
    if (this.current === running) this.current = undefined;
    this.ending = running;
    this.stopMemoryCheck();
    const endedAt = performance.now();
    const initEndedAt = this.initEndedAt ?? endedAt;
    // What the handler logged before answering is in the telemetry pipe already (written with
    // a blocking write) but maybe not read yet: read it before END. (It also lets the runtime
    // have its answer before the memory sample below.)
    this.afterOutputDrained(() => {
      if (this.ending === running) this.ending = undefined;
      this.sampleMemory();
      const { memorySizeMb } = this.config.options;
      const report = this.config.log.end({
        requestId: running.invocation.requestId,
        initDurationMs: running.cold ? initEndedAt - this.spawnedAt : undefined,
        // Zero when the runtime never took the event (it failed to start).
        durationMs: endedAt - (running.deliveredAt ?? endedAt),
        memorySizeMb,
        // As in Lambda, a runtime killed for its memory used all of it, and no more.
        maxMemoryUsedMb: Math.min(this.memory?.peakMb ?? 0, memorySizeMb),
      });
      this.logFor(running, report);
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

  /**
   * Calls `then` after an event-loop round (two immediates: a poll phase in between reads
   * whatever the pipes hold) in which no more runtime output came.
   */
  private afterOutputDrained(then: () => void, roundsLeft = MAX_DRAIN_ROUNDS): void {
    const seen = this.outputChunks;
    setImmediate(() =>
      setImmediate(() => {
        if (this.outputChunks !== seen && roundsLeft > 0) {
          this.afterOutputDrained(then, roundsLeft - 1);
        } else {
          then();
        }
      }),
    );
  }

  private logFor(running: Running, text: string): void {
    running.invocation.context.logTail?.append(text);
  }

  private stopMemoryCheck(): void {
    clearInterval(this.memoryCheck);
    this.memoryCheck = undefined;
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
