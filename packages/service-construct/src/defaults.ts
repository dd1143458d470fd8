/**
 * What a service gets when it sets nothing. Free of CDK imports so local tooling (the local
 * runner) can read the same values the deployed function has.
 */
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
  aliasName: "live",
} as const;
