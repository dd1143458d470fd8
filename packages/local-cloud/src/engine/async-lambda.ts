import { randomUUID } from "node:crypto";
import type { FunctionModel, InvokeConfigModel } from "@ebsvc/cloud-assembly";
import type { Clock } from "./clock.js";
import type { FunctionRuntime } from "./function-runtime.js";
import {
  type Condition,
  type InvocationRecord,
  invocationRecord,
  type LastResponse,
} from "./invocation-record.js";
import type { Observer } from "./observations.js";

/** Lambda's asynchronous defaults when a qualifier has no invoke config. */
const DEFAULT_CONFIG = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };
/** Lambda retries a function error after about one minute, then about two. */
const RETRY_DELAYS_SECONDS = [60, 120];
/** Throttles and service errors are re-queued with backoff from 1 s up to 5 minutes. */
const SERVICE_BACKOFF = { firstSeconds: 1, maxSeconds: 300 };

/** An asynchronous invocation in Lambda's queue, as the state database keeps it. */
export interface PendingInvocation {
  /** The unqualified function ARN. */
  readonly function: string;
  readonly qualifier: string;
  readonly payload: unknown;
  /** The asynchronous invocation's id: the record's requestId, stable across retries. */
  readonly requestId: string;
  /** The event that caused it (the payload's id when the target got the event as it is). */
  readonly eventId?: string;
  readonly receivedAt: number;
  /** Invocations that ran the function (service errors do not count). */
  readonly invokeCount: number;
  /** Every attempt, service errors included. */
  readonly attempts: number;
  readonly backoffSeconds: number;
  readonly last?: LastResponse;
}

/** What to do after an attempt: try again at a time, or send the record and be done. */
export type AttemptResult =
  | { readonly kind: "retry"; readonly next: PendingInvocation; readonly dueAt: number }
  | { readonly kind: "finish"; readonly next: PendingInvocation; readonly condition: Condition };

export interface AsyncLambdaHooks {
  readonly clock: Clock;
  readonly observe: Observer;
  /** Hands a record to a destination ARN (a bus, a queue, a function). */
  deliverRecord(
    destinationArn: string,
    record: InvocationRecord,
    invocation: PendingInvocation,
  ): void;
}

/**
 * One function's asynchronous invocation, as Lambda runs it: accept the event, invoke,
 * retry function errors per the invoke config while the event is young enough, then send
 * the invocation record to the success or failure destination. Each attempt is one step;
 * the caller keeps the pending invocation between steps (in the state database).
 */
export class AsyncLambda {
  constructor(
    readonly fn: FunctionModel,
    private readonly configs: readonly InvokeConfigModel[],
    private readonly runtime: FunctionRuntime | undefined,
    private readonly hooks: AsyncLambdaHooks,
  ) {}

  /** Whether the function runs here (the assembly says which service folder it is). */
  get runnable(): boolean {
    return this.runtime !== undefined;
  }

  /** A new asynchronous invocation, as Lambda's queue accepts it. */
  accept(qualifier: string, payload: unknown, eventId: string | undefined): PendingInvocation {
    return {
      function: this.fn.arn,
      qualifier,
      payload,
      requestId: randomUUID(),
      ...(eventId !== undefined && { eventId }),
      receivedAt: this.hooks.clock.now(),
      invokeCount: 0,
      attempts: 0,
      backoffSeconds: SERVICE_BACKOFF.firstSeconds,
    };
  }

  /** Runs one attempt (or none, when the event is too old) and says what comes next. */
  async attempt(invocation: PendingInvocation): Promise<AttemptResult> {
    const { clock, observe } = this.hooks;
    const config = this.config(invocation.qualifier);
    if (clock.ageSeconds(invocation.receivedAt) > config.maximumEventAgeSeconds) {
      return { kind: "finish", next: invocation, condition: "EventAgeExceeded" };
    }
    const runtime = this.runtime;
    if (!runtime) throw new Error(`${this.fn.path} has no runtime`);
    const functionArn = this.functionArn(invocation.qualifier);
    const service = this.fn.service?.id ?? this.fn.name;
    const attempt = invocation.attempts + 1;
    const ids = {
      ...(invocation.eventId !== undefined && { eventId: invocation.eventId }),
      requestId: invocation.requestId,
      functionArn,
      service,
      attempt,
    };
    observe({ kind: "invocation", phase: "start", ...ids });
    const started = performance.now();
    const outcome = await runtime.invoke(invocation.payload, invocation.requestId);
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    const ended = { kind: "invocation", phase: "end", ...ids, durationMs } as const;

    if (outcome.kind === "service-error") {
      const next = {
        ...invocation,
        attempts: attempt,
        backoffSeconds: Math.min(invocation.backoffSeconds * 2, SERVICE_BACKOFF.maxSeconds),
      };
      observe({
        ...ended,
        outcome: "service-error",
        error: { errorType: "ServiceException", errorMessage: outcome.reason },
        retryInSeconds: invocation.backoffSeconds,
      });
      return { kind: "retry", next, dueAt: clock.after(invocation.backoffSeconds) };
    }
    const invokeCount = invocation.invokeCount + 1;
    const executedVersion =
      invocation.qualifier === "$LATEST"
        ? "$LATEST"
        : (this.fn.aliases[invocation.qualifier] ?? invocation.qualifier);
    const memory =
      outcome.maxMemoryUsedMb === undefined ? {} : { maxMemoryUsedMb: outcome.maxMemoryUsedMb };
    if (outcome.kind === "success") {
      observe({ ...ended, outcome: "success", ...memory });
      const last = { executedVersion, payload: outcome.payload };
      return {
        kind: "finish",
        next: { ...invocation, attempts: attempt, invokeCount, last },
        condition: "Success",
      };
    }
    const last = {
      executedVersion,
      payload: outcome.payload,
      functionError: outcome.functionError,
    };
    const next = { ...invocation, attempts: attempt, invokeCount, last };
    const retry = invokeCount <= config.maximumRetryAttempts;
    const delay = RETRY_DELAYS_SECONDS[invokeCount - 1] ?? RETRY_DELAYS_SECONDS.at(-1) ?? 0;
    observe({
      ...ended,
      outcome: "function-error",
      ...memory,
      error: errorOf(outcome.payload),
      ...(retry && { retryInSeconds: delay }),
    });
    if (!retry) return { kind: "finish", next, condition: "RetriesExhausted" };
    return { kind: "retry", next, dueAt: clock.after(delay) };
  }

  /** Sends the invocation record to the destination for `condition`, or says it is dropped. */
  finish(invocation: PendingInvocation, condition: Condition): void {
    const config = this.config(invocation.qualifier);
    const functionArn = this.functionArn(invocation.qualifier);
    const destination = condition === "Success" ? config.onSuccess : config.onFailure;
    const record = invocationRecord({
      requestId: invocation.requestId,
      functionArn,
      condition,
      approximateInvokeCount: invocation.invokeCount,
      requestPayload: invocation.payload,
      last: invocation.last,
      nowMs: this.hooks.clock.now(),
    });
    if (destination) this.hooks.deliverRecord(destination, record, invocation);
    else if (condition !== "Success") {
      this.hooks.observe({
        kind: "notice",
        message: `${functionArn}: ${condition} after ${invocation.invokeCount} invocation(s) and no onFailure destination; AWS drops the event ${JSON.stringify(record.requestPayload).slice(0, 200)}`,
      });
    }
  }

  private config(qualifier: string) {
    return (
      this.configs.find((c) => c.qualifier === qualifier) ?? {
        ...DEFAULT_CONFIG,
        onSuccess: undefined,
        onFailure: undefined,
      }
    );
  }

  private functionArn(qualifier: string): string {
    return qualifier === "$LATEST" ? this.fn.arn : `${this.fn.arn}:${qualifier}`;
  }
}

/** The error a function reported, for the log: its type and message when it has them. */
function errorOf(payload: unknown): { errorType: string; errorMessage: string } {
  const error = (payload ?? {}) as { errorType?: unknown; errorMessage?: unknown };
  return {
    errorType: typeof error.errorType === "string" ? error.errorType : "Unhandled",
    errorMessage:
      typeof error.errorMessage === "string" ? error.errorMessage : JSON.stringify(payload ?? null),
  };
}
