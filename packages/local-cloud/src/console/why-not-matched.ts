import { explain } from "@ebsvc/event-patterns";

/** A condition of a pattern the event does not meet, as the console shows it. */
export interface FieldFailure {
  /** Dotted path, e.g. `detail.message`. */
  readonly path: string;
  /** The pattern's condition at that path, as written. */
  readonly condition: unknown;
  /** The event's value there: one value, the array of values, or undefined when absent. */
  readonly actual: unknown;
  /** event-patterns' sentence, e.g. `detail.status is "failed", which is not one of ["ok"]`. */
  readonly reason: string;
  /** Which `$or` alternative failed, when the pattern has several. */
  readonly branch?: number;
}

export interface Explanation {
  readonly matches: boolean;
  readonly failures: FieldFailure[];
}

/** Whether the event matches and, if not, which field fails: event-patterns' explain(). */
export function explainMatch(pattern: unknown, event: unknown): Explanation {
  const { matches, failures } = explain(pattern, event);
  return {
    matches,
    failures: failures.map((failure) => ({
      path: failure.path.join("."),
      condition: failure.condition,
      actual:
        failure.actual === "absent"
          ? undefined
          : failure.actual.length === 1
            ? failure.actual[0]
            : failure.actual,
      reason: failure.reason,
      ...(failure.branch !== undefined && { branch: failure.branch }),
    })),
  };
}
