/**
 * The ranges AWS accepts for each service setting, in one place: the construct checks its
 * props against them and discovery checks each service's package.json settings.
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
 * The log retentions CloudWatch Logs accepts (PutRetentionPolicy), less "never expire": every
 * log group of a service has a retention. The construct's tests keep this equal to
 * aws-cdk-lib's RetentionDays.
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

export const LOG_RETENTION_RULE = `one of ${LOG_RETENTION_DAYS.join(", ")} (days)`;

/** What a service gets when it sets nothing. */
export const SERVICE_DEFAULTS = {
  memorySize: 512,
  timeoutSeconds: 30,
  retryAttempts: 2,
  maxEventAgeSeconds: 21_600,
  ruleRetryAttempts: 0,
  ruleMaxEventAgeSeconds: 60,
  deadLetterRetentionDays: 14,
  /** One month (logs.RetentionDays.ONE_MONTH). */
  logRetentionDays: 30,
  /** The dead-letter age alarm fires after a day, or half the retention if that is shorter. */
  deadLetterAgeThresholdSeconds: 86_400,
} as const;
