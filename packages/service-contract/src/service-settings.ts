import { patternWarnings, validatePattern } from "@ebsvc/event-patterns";
import { z } from "zod";
import { BUS_NAMES, SUCCESS_BUS_CHOICES } from "./buses.js";
import {
  describeLimit,
  LIMITS,
  type Limit,
  LOG_RETENTION_DAYS,
  LOG_RETENTION_RULE,
} from "./limits.js";

const limited = (limit: Limit) => {
  const allowed = `allowed: ${describeLimit(limit)}`;
  return z
    .int({ error: allowed })
    .min(limit.min, { error: allowed })
    .max(limit.max, { error: allowed });
};

const SUBSCRIPTION_SHAPE =
  'expected: {"resultsOf": "<service id>"} or {"bus": "source_bus", "pattern": {…an EventBridge event pattern…}}';

/**
 * What a service listens to besides events whose `source` is its id: the success results of
 * another service, or any pattern on a bus. Patterns are checked as PutRule would.
 */
const subscriptionSchema = z
  .strictObject(
    {
      resultsOf: z.string({ error: "expected: the id of another service" }).optional(),
      bus: z
        .enum(BUS_NAMES, {
          error: `allowed: ${BUS_NAMES.map((name) => JSON.stringify(name)).join(", ")}`,
        })
        .optional(),
      pattern: z
        .record(z.string(), z.unknown(), {
          error: "expected: an EventBridge event pattern (an object)",
        })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? "allowed fields: resultsOf, or bus and pattern"
          : SUBSCRIPTION_SHAPE,
    },
  )
  .check((ctx) => {
    const { resultsOf, bus, pattern } = ctx.value;
    const issue = (message: string, path: string[] = []) => {
      ctx.issues.push({
        code: "custom",
        message,
        input: path.length ? undefined : ctx.value,
        path,
      });
    };
    if ((resultsOf === undefined) === (pattern === undefined)) return issue(SUBSCRIPTION_SHAPE);
    if (resultsOf !== undefined && bus !== undefined) {
      return issue(
        "resultsOf takes no bus: results are matched on the bus the other service sends them to",
      );
    }
    if (pattern !== undefined) {
      if (bus === undefined)
        return issue('a pattern needs the bus it listens on: add "bus"', ["bus"]);
      const reason = validatePattern(pattern);
      if (reason !== undefined) {
        ctx.issues.push({
          code: "custom",
          message: `not a valid event pattern: ${reason}`,
          input: pattern,
          path: ["pattern"],
        });
      }
    }
  });

export type Subscription = z.infer<typeof subscriptionSchema>;

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
    subscriptions: z
      .array(subscriptionSchema, {
        error: `expected: a list, each item ${SUBSCRIPTION_SHAPE.slice("expected: ".length)}`,
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "allowed fields: successBus, memorySize, timeoutSeconds, retryAttempts, maxEventAgeSeconds, provisionedConcurrency, architecture, logRetentionDays, subscriptions"
        : 'expected: an object such as {"successBus": "source"}',
  },
);

export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;

/**
 * What a service's valid subscription patterns say that their author probably did not mean
 * (a field given again inside an `$or` alternative: EventBridge keeps only the later one), one
 * line each, naming the field as the user writes it.
 */
export function subscriptionWarnings(settings: ServiceSettings): string[] {
  return (settings.subscriptions ?? []).flatMap((subscription, index) =>
    subscription.pattern === undefined
      ? []
      : patternWarnings(subscription.pattern).map(
          (warning) => `service.subscriptions[${index}].pattern: ${warning}`,
        ),
  );
}
