import * as z from "zod/mini";

/**
 * What the service takes: the `detail` of the events its rule delivers. This example's is an
 * object whose `message`, if present, is a string; write your service's contract here.
 */
export const Detail = z.looseObject({ message: z.optional(z.string()) });
export type Detail = z.infer<typeof Detail>;

/**
 * An event as EventBridge delivers it to a rule's target (the fields of Powertools'
 * EventBridgeSchema). Loose: EventBridge may add fields, e.g. `replay-name` on a replay.
 */
export const EventBridgeEvent = z.looseObject({
  version: z.string(),
  id: z.string(),
  "detail-type": z.string(),
  source: z.string(),
  account: z.string().check(z.regex(/^\d{12}$/, { error: "expected a 12-digit account id" })),
  time: z.iso.datetime({ error: "expected an ISO 8601 date-time" }),
  region: z.string(),
  resources: z.array(z.string()),
  detail: Detail,
});

/** A malformed event: its message says which field is wrong and what was expected. */
export class MalformedEventError extends Error {
  // Spelt out: the runtime reports it as errorType, and bundling may rename the class.
  override readonly name = "MalformedEventError";
}

/**
 * The detail of an event: of an EventBridge event (recognized by its `detail-type` or
 * `detail`), whose envelope must be whole; else of a direct invocation (`pnpm call`, `aws
 * lambda invoke`), whose payload is the detail itself. Throws MalformedEventError otherwise.
 */
export function parseEvent(event: unknown): Detail {
  // Only these two: a detail may well have an `id`, a `source` or a `time` of its own.
  const fromBus =
    typeof event === "object" && event !== null && ("detail-type" in event || "detail" in event);
  if (fromBus) {
    const result = z.safeParse(EventBridgeEvent, event, PARSE);
    if (result.success) return result.data.detail;
    throw malformed(result.error);
  }
  const result = z.safeParse(Detail, event, PARSE);
  if (result.success) return result.data;
  throw malformed(result.error);
}

function malformed(error: z.core.$ZodError): MalformedEventError {
  return new MalformedEventError(error.issues.map(describeIssue).join("; "));
}

const PARSE = {
  reportInput: true,
  error: (issue: z.core.$ZodRawIssue) =>
    issue.code === "invalid_type" ? `expected ${issue.expected}` : "expected a valid value",
};

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.join(".") || "the event";
  const input = (issue as { input?: unknown }).input;
  if (issue.code === "unrecognized_keys") return `${field}: ${issue.message}`;
  const value = input === undefined ? "is missing" : `is ${preview(input)}`;
  return `${field} ${value} (${issue.message})`;
}

/** A value as JSON, cut short: a message names the value, it does not repeat the event. */
function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
