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

/** Lambda's asynchronous defaults when a qualifier has no invoke config. */
const DEFAULT_CONFIG = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };
/** Lambda retries a function error after about one minute, then about two. */
const RETRY_DELAYS_SECONDS = [60, 120];
/** Throttles and service errors are re-queued with backoff from 1 s up to 5 minutes. */
const SERVICE_BACKOFF = { firstSeconds: 1, maxSeconds: 300 };

export interface AsyncLambdaHooks {
  readonly clock: Clock;
  /** Hands a record to a destination ARN (a bus, a queue, a function). */
  deliverRecord(destinationArn: string, record: InvocationRecord): void;
  /** Reports what AWS would drop silently. */
  notice(message: string): void;
}

/**
 * One function's asynchronous invocation, as Lambda runs it: accept the event, invoke,
 * retry function errors per the invoke config while the event is young enough, then send
 * the invocation record to the success or failure destination.
 */
export class AsyncLambda {
  constructor(
    readonly fn: FunctionModel,
    private readonly configs: readonly InvokeConfigModel[],
    private readonly runtime: FunctionRuntime | undefined,
    private readonly hooks: AsyncLambdaHooks,
  ) {}

  /** Invokes asynchronously; resolves when the event has reached its end (or the stop). */
  async invoke(qualifier: string, payload: unknown): Promise<void> {
    const { clock } = this.hooks;
    const config = this.configs.find((c) => c.qualifier === qualifier) ?? {
      ...DEFAULT_CONFIG,
      onSuccess: undefined,
      onFailure: undefined,
    };
    const functionArn = qualifier === "$LATEST" ? this.fn.arn : `${this.fn.arn}:${qualifier}`;
    const executedVersion =
      qualifier === "$LATEST" ? "$LATEST" : (this.fn.aliases[qualifier] ?? qualifier);
    if (!this.runtime) {
      this.hooks.notice(
        `${this.fn.path}: not run, since the assembly does not say which service folder it comes from (no ebsvc:service metadata); an event for ${functionArn} is dropped`,
      );
      return;
    }

    const requestId = randomUUID();
    const receivedAt = clock.now();
    let invokeCount = 0;
    let last: LastResponse | undefined;
    let backoff = SERVICE_BACKOFF.firstSeconds;
    const finish = (condition: Condition) => {
      const destination = condition === "Success" ? config.onSuccess : config.onFailure;
      const record = invocationRecord({
        requestId,
        functionArn,
        condition,
        approximateInvokeCount: invokeCount,
        requestPayload: payload,
        last,
        nowMs: clock.now(),
      });
      if (destination) this.hooks.deliverRecord(destination, record);
      else if (condition !== "Success") {
        this.hooks.notice(
          `${functionArn}: ${condition} after ${invokeCount} invocation(s) and no onFailure destination; AWS drops the event ${JSON.stringify(record.requestPayload).slice(0, 200)}`,
        );
      }
    };

    for (;;) {
      if (clock.ageSeconds(receivedAt) > config.maximumEventAgeSeconds) {
        return finish("EventAgeExceeded");
      }
      const outcome = await this.runtime.invoke(payload);
      if (outcome.kind === "service-error") {
        if (!(await clock.sleep(backoff))) return;
        backoff = Math.min(backoff * 2, SERVICE_BACKOFF.maxSeconds);
        continue;
      }
      invokeCount += 1;
      if (outcome.kind === "success") {
        last = { executedVersion, payload: outcome.payload };
        return finish("Success");
      }
      last = { executedVersion, payload: outcome.payload, functionError: outcome.functionError };
      if (invokeCount > config.maximumRetryAttempts) return finish("RetriesExhausted");
      const delay = RETRY_DELAYS_SECONDS[invokeCount - 1] ?? RETRY_DELAYS_SECONDS.at(-1) ?? 0;
      if (!(await clock.sleep(delay))) return;
    }
  }
}
