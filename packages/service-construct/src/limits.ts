import { RetentionDays } from "aws-cdk-lib/aws-logs";

/**
 * The ranges AWS accepts for each service setting, in one place: the construct checks its
 * props against them and the infra app checks each service's package.json settings.
 */
export const LIMITS = {
  memorySize: { min: 128, max: 10_240, unit: "MB" },
  timeoutSeconds: { min: 1, max: 900, unit: "seconds" },
  retryAttempts: { min: 0, max: 2, unit: "retries" },
  maxEventAgeSeconds: { min: 60, max: 21_600, unit: "seconds" },
  provisionedConcurrency: { min: 0, max: 10_000, unit: "environments" },
  ruleRetryAttempts: { min: 0, max: 185, unit: "retries" },
  ruleMaxEventAgeSeconds: { min: 60, max: 86_400, unit: "seconds" },
  deadLetterRetentionSeconds: { min: 60, max: 1_209_600, unit: "seconds" },
} as const;

export type Limit = { readonly min: number; readonly max: number; readonly unit: string };

/** How an error message says what a limited setting allows. */
export function describeLimit(limit: Limit): string {
  return `an integer from ${limit.min} to ${limit.max} (${limit.unit})`;
}

/**
 * The log retentions CloudWatch Logs accepts (aws-cdk-lib's RetentionDays), less "never
 * expire": every log group of a service has a retention.
 */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays)
  .filter((days): days is number => typeof days === "number" && days !== RetentionDays.INFINITE)
  .sort((a, b) => a - b);

export const LOG_RETENTION_RULE = `one of ${LOG_RETENTION_DAYS.join(", ")} (days)`;
