import type { RuleModel, TargetModel } from "@ebsvc/cloud-assembly";
import type { BusEvent } from "../bus-event.js";
import type { Clock } from "./clock.js";
import { DeliveryError } from "./delivery-error.js";
import type { MessageAttributes } from "./observations.js";

/** EventBridge's retry backoff for a target: exponential from 1 s, at most a minute apart. */
const BACKOFF = { firstSeconds: 1, maxSeconds: 60 };

/** A matched event on its way to one target, as the state database keeps it. */
export interface PendingDelivery {
  readonly bus: string;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly event: BusEvent;
  readonly firstTry: number;
  readonly retries: number;
  readonly backoffSeconds: number;
}

export interface TargetDeliveryHooks {
  readonly clock: Clock;
  /** Hands the payload to the target; throws DeliveryError when it cannot take it. */
  handOver(targetArn: string, payload: unknown, delivery: PendingDelivery): void;
  /** Sends to a queue by ARN; false when there is no such queue. */
  sendToQueue(queueArn: string, body: string, attributes: MessageAttributes): boolean;
  notice(message: string): void;
}

export function newDelivery(
  bus: string,
  rule: RuleModel,
  target: TargetModel,
  event: BusEvent,
  now: number,
): PendingDelivery {
  return {
    bus,
    ruleArn: rule.arn,
    targetId: target.id,
    event,
    firstTry: now,
    retries: 0,
    backoffSeconds: BACKOFF.firstSeconds,
  };
}

/**
 * One attempt to deliver a matched event to a target, as EventBridge makes it: hand it over;
 * on failure, retry later per the target's retry policy (returns the next state and when),
 * or, once exhausted, put the event in the target's dead-letter queue with the attributes AWS
 * sets, or drop it (and say so) when the target has none. Returns undefined when done.
 */
export function attemptDelivery(
  rule: RuleModel,
  target: TargetModel,
  delivery: PendingDelivery,
  hooks: TargetDeliveryHooks,
): { next: PendingDelivery; dueAt: number } | undefined {
  const { event } = delivery;
  const payload = target.input === undefined ? event : JSON.parse(target.input);
  let failure: DeliveryError;
  try {
    hooks.handOver(target.arn, payload, delivery);
    return undefined;
  } catch (error) {
    failure =
      error instanceof DeliveryError
        ? error
        : new DeliveryError("InternalException", String(error));
  }
  const { retries, backoffSeconds } = delivery;
  const exhausted =
    retries >= target.maximumRetryAttempts
      ? "MaximumRetryAttempts"
      : hooks.clock.ageSeconds(delivery.firstTry) + backoffSeconds > target.maximumEventAgeSeconds
        ? "MaximumEventAgeInSeconds"
        : undefined;
  if (!exhausted) {
    return {
      next: {
        ...delivery,
        retries: retries + 1,
        backoffSeconds: Math.min(backoffSeconds * 2, BACKOFF.maxSeconds),
      },
      dueAt: hooks.clock.after(backoffSeconds),
    };
  }
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
  return undefined;
}
