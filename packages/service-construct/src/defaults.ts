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
  aliasName: "live",
} as const;
