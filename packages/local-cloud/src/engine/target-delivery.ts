import type { RuleModel, TargetModel } from "@ebsvc/cloud-assembly";
import type { BusEvent } from "../bus-event.js";
import type { Clock } from "./clock.js";
import { DeliveryError } from "./delivery-error.js";
import { type TransformedInput, targetInput } from "./input-transformer.js";
import type { MessageAttributes } from "./observations.js";

/** EventBridge's retry backoff for a target: exponential from 1 s, at most a minute apart. */
const BACKOFF = { firstSeconds: 1, maxSeconds: 60 };

export interface TargetDeliveryHooks {
  readonly clock: Clock;
  /** Hands the event (or what the target's input settings make of it) to the target; throws DeliveryError when it cannot take it. */
  handOver(targetArn: string, payload: BusEvent | TransformedInput): void;
  /** Sends to a queue by ARN; false when there is no such queue. */
  sendToQueue(queueArn: string, body: string, attributes: MessageAttributes): boolean;
  notice(message: string): void;
}

/**
 * Delivers a matched event to one target as EventBridge does: retry a failed hand-over per
 * the target's retry policy, then put the event in the target's dead-letter queue with the
 * attributes AWS sets, or drop it (and say so) when the target has none.
 */
export async function deliverToTarget(
  rule: RuleModel,
  target: TargetModel,
  event: BusEvent,
  hooks: TargetDeliveryHooks,
): Promise<void> {
  const payload = targetInput(rule, target, event, hooks.clock.now());
  const firstTry = hooks.clock.now();
  let retries = 0;
  let backoff = BACKOFF.firstSeconds;
  for (;;) {
    let failure: DeliveryError;
    try {
      hooks.handOver(target.arn, payload);
      return;
    } catch (error) {
      failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError("InternalException", String(error));
    }
    const exhausted =
      retries >= target.maximumRetryAttempts
        ? "MaximumRetryAttempts"
        : hooks.clock.ageSeconds(firstTry) + backoff > target.maximumEventAgeSeconds
          ? "MaximumEventAgeInSeconds"
          : undefined;
    if (exhausted) {
      const attributes: MessageAttributes = {
        RULE_ARN: { DataType: "String", StringValue: rule.arn },
        TARGET_ARN: { DataType: "String", StringValue: target.arn },
        ERROR_CODE: { DataType: "String", StringValue: failure.code },
        ERROR_MESSAGE: { DataType: "String", StringValue: failure.message },
        EXHAUSTED_RETRY_CONDITION: { DataType: "String", StringValue: exhausted },
        RETRY_ATTEMPTS: { DataType: "Number", StringValue: String(retries) },
      };
      const kept =
        target.deadLetterArn !== undefined &&
        hooks.sendToQueue(target.deadLetterArn, JSON.stringify(event), attributes);
      if (!kept) {
        hooks.notice(
          `${rule.path}: event ${event.id} could not be delivered to ${target.arn} (${failure.code}: ${failure.message}) and the target has no dead-letter queue; AWS drops it`,
        );
      }
      return;
    }
    if (!(await hooks.clock.sleep(backoff))) return;
    backoff = Math.min(backoff * 2, BACKOFF.maxSeconds);
    retries += 1;
  }
}
