import {
  describeLimit,
  LIMITS,
  type Limit,
  LOG_RETENTION_DAYS,
  LOG_RETENTION_RULE,
  SERVICE_DEFAULTS,
  SERVICE_ID_RULE,
  serviceIdProblem,
} from "@ebsvc/service-contract";
import { type Duration, Token } from "aws-cdk-lib";
import type { ServiceConstructProps } from "./service-props.js";

const ALIAS_NAME_PATTERN = /^(?![0-9]+$)[\w-]{1,128}$/;
const QUEUE_NAME_PATTERN = /^[\w-]{1,80}$/;
const FUNCTION_NAME_PATTERN = /^[\w-]{1,64}$/;

/** Throws an error naming the first invalid property, its value and what is allowed. */
export function validateServiceProps(id: string, props: ServiceConstructProps): void {
  const fail = (what: string, value: unknown, allowed: string): never => {
    throw new Error(
      `ServiceConstruct "${id}": ${what} is ${JSON.stringify(value)}; allowed: ${allowed}`,
    );
  };
  const idProblem = serviceIdProblem(id);
  if (idProblem?.kind === "rule") fail("the service id", id, SERVICE_ID_RULE);
  if (idProblem?.kind === "reserved") {
    throw new Error(`ServiceConstruct "${id}": the service id is reserved: ${idProblem.why}`);
  }

  const integerIn = (what: string, value: number | undefined, limit: Limit) => {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < limit.min || value > limit.max) {
      fail(what, value, describeLimit(limit));
    }
  };
  const durationIn = (what: string, value: Duration | undefined, limit: Limit) => {
    if (value === undefined) return;
    const seconds = value.toSeconds({ integral: false });
    if (Token.isUnresolved(seconds)) return;
    integerIn(`${what} (in seconds)`, seconds, limit);
  };

  integerIn("memorySize", props.memorySize, LIMITS.memorySize);
  durationIn("timeout", props.timeout, LIMITS.timeoutSeconds);
  integerIn("retryAttempts", props.retryAttempts, LIMITS.retryAttempts);
  durationIn("maxEventAge", props.maxEventAge, LIMITS.maxEventAgeSeconds);
  integerIn("provisionedConcurrency", props.provisionedConcurrency, LIMITS.provisionedConcurrency);
  integerIn("ruleRetryAttempts", props.ruleRetryAttempts, LIMITS.ruleRetryAttempts);
  durationIn("ruleMaxEventAge", props.ruleMaxEventAge, LIMITS.ruleMaxEventAgeSeconds);
  durationIn("deadLetterRetention", props.deadLetterRetention, LIMITS.deadLetterRetentionSeconds);
  const functionName = props.functionName;
  if (
    functionName !== undefined &&
    !Token.isUnresolved(functionName) &&
    !FUNCTION_NAME_PATTERN.test(functionName)
  ) {
    fail("functionName", functionName, "1 to 64 letters, digits, hyphens and underscores");
  }
  const queueName = props.deadLetterQueueName;
  if (
    queueName !== undefined &&
    !Token.isUnresolved(queueName) &&
    !QUEUE_NAME_PATTERN.test(queueName)
  ) {
    fail("deadLetterQueueName", queueName, "1 to 80 letters, digits, hyphens and underscores");
  }
  for (const [index, subscription] of (props.subscriptions ?? []).entries()) {
    if (Object.keys(subscription.eventPattern).length === 0) {
      fail(
        `subscriptions[${index}].eventPattern`,
        subscription.eventPattern,
        "a pattern with at least one field",
      );
    }
  }
  if (props.logRetention !== undefined && !LOG_RETENTION_DAYS.includes(props.logRetention)) {
    fail("logRetention (in days)", props.logRetention, LOG_RETENTION_RULE);
  }
  // The age alarm must be able to fire before SQS deletes the message it is about.
  const retention = props.deadLetterRetention?.toSeconds({ integral: false });
  if (retention === undefined || !Token.isUnresolved(retention)) {
    durationIn("deadLetterAgeThreshold", props.deadLetterAgeThreshold, {
      min: 1,
      max: (retention ?? SERVICE_DEFAULTS.deadLetterRetentionDays * 86_400) - 1,
      unit: "seconds, less than deadLetterRetention",
    });
  }
  if (props.aliasName !== undefined && !ALIAS_NAME_PATTERN.test(props.aliasName)) {
    fail("aliasName", props.aliasName, "1 to 128 letters, digits, - or _, not all digits");
  }
}
