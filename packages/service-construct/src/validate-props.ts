import { type Duration, Token } from "aws-cdk-lib";
import type { ServiceConstructProps } from "./service-props.js";

/**
 * A service id is the event `source` its rule matches and the name of its folder and package:
 * lowercase so it is a valid npm package name and Docker image name.
 */
export const SERVICE_ID_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** Throws an error naming the first invalid property, its value and what is allowed. */
export function validateServiceProps(id: string, props: ServiceConstructProps): void {
  const fail = (what: string, value: unknown, allowed: string): never => {
    throw new Error(
      `ServiceConstruct "${id}": ${what} is ${JSON.stringify(value)}; allowed: ${allowed}`,
    );
  };
  if (!SERVICE_ID_PATTERN.test(id)) {
    fail(
      "the service id",
      id,
      "1 to 63 characters of lowercase letters, digits and hyphens, starting with a letter",
    );
  }

  const integerIn = (what: string, value: number | undefined, min: number, max: number) => {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      fail(what, value, `an integer from ${min} to ${max}`);
    }
  };
  const secondsIn = (what: string, value: Duration | undefined, min: number, max: number) => {
    if (value === undefined) return;
    const seconds = value.toSeconds({ integral: false });
    if (Token.isUnresolved(seconds)) return;
    if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
      fail(`${what} (in seconds)`, seconds, `a whole number of seconds from ${min} to ${max}`);
    }
  };

  integerIn("memorySize", props.memorySize, 128, 10_240);
  secondsIn("timeout", props.timeout, 1, 900);
  integerIn("retryAttempts", props.retryAttempts, 0, 2);
  secondsIn("maxEventAge", props.maxEventAge, 60, 21_600);
  integerIn("provisionedConcurrency", props.provisionedConcurrency, 0, 10_000);
  integerIn("ruleRetryAttempts", props.ruleRetryAttempts, 0, 185);
  secondsIn("ruleMaxEventAge", props.ruleMaxEventAge, 60, 86_400);
  secondsIn("deadLetterRetention", props.deadLetterRetention, 60, 1_209_600);
  if (props.aliasName !== undefined && !/^(?![0-9]+$)[\w-]{1,128}$/.test(props.aliasName)) {
    fail(
      "aliasName",
      props.aliasName,
      "1 to 128 letters, digits, hyphens or underscores, not all digits",
    );
  }
}
