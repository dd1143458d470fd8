import { compilePattern } from "@ebsvc/event-patterns";

/** A field of a pattern whose condition the event does not meet. */
export interface FieldFailure {
  /** Dotted path, e.g. `detail.message`. */
  readonly path: string;
  /** The pattern's condition at that path, as written. */
  readonly condition: unknown;
  /** The event's value there (undefined: the field is absent). */
  readonly actual: unknown;
}

export interface Explanation {
  readonly matches: boolean;
  readonly failures: FieldFailure[];
}

/**
 * Whether the event matches, and which fields fail: each leaf condition of the pattern is
 * tried alone with the real matcher (so the answer is the matcher's, not a re-implementation).
 * An `$or` is tried as a whole, at the path it sits.
 * Interim: the `patterns` branch brings explain() to event-patterns; use it once merged.
 */
export function explainMatch(pattern: unknown, event: unknown): Explanation {
  const matches = compilePattern(pattern).matches(event);
  if (matches) return { matches, failures: [] };
  const failures: FieldFailure[] = [];
  for (const [path, condition] of leaves(pattern, [])) {
    const alone = nest(path, condition);
    if (!compilePattern(alone).matches(event)) {
      failures.push({ path: path.join("."), condition, actual: valueAt(event, path) });
    }
  }
  return { matches, failures };
}

function leaves(pattern: unknown, path: string[]): [string[], unknown][] {
  if (Array.isArray(pattern) || typeof pattern !== "object" || pattern === null) {
    return [[path, pattern]];
  }
  const result: [string[], unknown][] = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (key === "$or") result.push([path, { $or: value }]);
    else result.push(...leaves(value, [...path, key]));
  }
  return result;
}

function nest(path: string[], condition: unknown): unknown {
  if (path.length === 0) return condition;
  let node: unknown = condition;
  for (const key of [...path].reverse()) node = { [key]: node };
  return node;
}

function valueAt(event: unknown, path: string[]): unknown {
  let node: unknown = event;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
