import {
  describeLimit,
  LIMITS,
  type Limit,
  LOG_RETENTION_DAYS,
  LOG_RETENTION_RULE,
} from "@ebsvc/service-construct";
import { z } from "zod";
import { BUS_NAMES } from "./secrets.js";

/** "source" sends success results back to the bus the service listens on. */
export const SUCCESS_BUS_CHOICES = ["source", ...BUS_NAMES] as const;

const limited = (limit: Limit) => {
  const allowed = `allowed: ${describeLimit(limit)}`;
  return z
    .int({ error: allowed })
    .min(limit.min, { error: allowed })
    .max(limit.max, { error: allowed });
};

/** The `"service"` object of a service's package.json: where results go, and overrides. */
export const serviceSettingsSchema = z.strictObject(
  {
    successBus: z.enum(SUCCESS_BUS_CHOICES, {
      error: `allowed: ${SUCCESS_BUS_CHOICES.map((choice) => JSON.stringify(choice)).join(", ")}`,
    }),
    memorySize: limited(LIMITS.memorySize).optional(),
    timeoutSeconds: limited(LIMITS.timeoutSeconds).optional(),
    retryAttempts: limited(LIMITS.retryAttempts).optional(),
    maxEventAgeSeconds: limited(LIMITS.maxEventAgeSeconds).optional(),
    provisionedConcurrency: limited(LIMITS.provisionedConcurrency).optional(),
    architecture: z.enum(["x86_64", "arm64"], { error: 'allowed: "x86_64", "arm64"' }).optional(),
    logRetentionDays: z
      .number({ error: `allowed: ${LOG_RETENTION_RULE}` })
      .refine((days) => LOG_RETENTION_DAYS.includes(days), {
        error: `allowed: ${LOG_RETENTION_RULE}`,
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "allowed fields: successBus, memorySize, timeoutSeconds, retryAttempts, maxEventAgeSeconds, provisionedConcurrency, architecture, logRetentionDays"
        : 'expected: an object such as {"successBus": "source"}',
  },
);

export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;
