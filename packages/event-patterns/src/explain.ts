// Why an event does or does not match a pattern: the same walk as matching, but it visits
// every condition instead of stopping at the first failure, and says what it found.

import { compileRule, toEventObject } from "./compile.js";
import { isObject, type JsonObject } from "./leaf.js";
import { hasLeafAt, type ObjectNode, readField, undotted } from "./tree.js";

/** One condition the event fails. */
export interface Failure {
  /** The field's path in the event, from the root: `["detail", "status"]`. */
  readonly path: readonly string[];
  /** The pattern's value array for the field, e.g. `[{"prefix": "ord"}]`. */
  readonly condition: readonly unknown[];
  /** The event's leaf values at the path (array elements flattened), or "absent". */
  readonly actual: readonly unknown[] | "absent";
  /** One sentence, e.g. `detail.status is "failed", which is not one of ["ok"]`. */
  readonly reason: string;
  /**
   * Which alternative failed, when `$or` makes several (numbered from 0, each a combination of
   * one element of every `$or` in the pattern, in the pattern's order).
   */
  readonly branch?: number;
}

export interface Explanation {
  /** Exactly what `compilePattern(pattern).matches(event)` answers. */
  readonly matches: boolean;
  /** Empty when the event matches; otherwise every failing condition of every alternative. */
  readonly failures: readonly Failure[];
}

/**
 * Why `event` does or does not match `pattern` (both parsed, or JSON text). Throws
 * InvalidEventPatternError when the pattern is invalid.
 */
export function explain(pattern: unknown, event: unknown): Explanation {
  const rule = compileRule(pattern);
  const object = toEventObject(event);
  const perBranch = rule.subRules.map((subRule) => explainNode(subRule.root, object, []));
  if (perBranch.some((failures) => failures.length === 0)) return { matches: true, failures: [] };
  const several = perBranch.length > 1;
  const failures = perBranch.flatMap((list, branch) =>
    several ? list.map((failure) => ({ ...failure, branch })) : list,
  );
  return { matches: false, failures };
}

/** The explanation as one line, e.g. for a console. */
export function formatExplanation(explanation: Explanation): string {
  if (explanation.matches) return "matches";
  const byBranch = new Map<number | undefined, string[]>();
  for (const failure of explanation.failures) {
    const list = byBranch.get(failure.branch) ?? [];
    list.push(failure.reason);
    byBranch.set(failure.branch, list);
  }
  const parts = [...byBranch].map(([branch, reasons]) =>
    branch === undefined ? reasons.join("; ") : `alternative ${branch}: ${reasons.join("; ")}`,
  );
  return `does not match: ${parts.join(" | ")}`;
}

function explainNode(
  node: ObjectNode,
  object: JsonObject | undefined,
  prefix: readonly string[],
): Failure[] {
  const view = node.dottedNames.length === 0 ? object : undotted(object, node.dottedNames);
  const failures: Failure[] = [];
  for (const check of node.checks) {
    const value = check.read(view);
    const path = [...prefix, check.field];
    if (check.kind === "leaf") {
      if (!check.entry.leaf.test(value)) {
        failures.push(failure(path, check.entry.condition, value, "leaf"));
      }
    } else if (check.kind === "absent") {
      if (hasLeafAt(value, check.rest, 0)) {
        const full = [...path, ...check.rest];
        failures.push(failure(full, check.entry.condition, valuesAt(value, check.rest), "absent"));
      }
    } else {
      failures.push(...explainNested(check.node, value, path));
    }
  }
  return failures;
}

/** A nested object over an array: some element (at any depth) must satisfy all of it. */
function explainNested(node: ObjectNode, value: unknown, path: readonly string[]): Failure[] {
  if (!Array.isArray(value) || value.length === 0) return explainElement(node, value, path);
  let closest: Failure[] | undefined;
  let closestIndex = 0;
  for (const [i, element] of value.entries()) {
    const failures = explainElement(node, element, path);
    if (failures.length === 0) return [];
    if (closest === undefined || failures.length < closest.length) {
      closest = failures;
      closestIndex = i;
    }
  }
  const where = `no element of the array at ${path.join(".")} satisfies every condition; in element ${closestIndex}`;
  return (closest as Failure[]).map((f) => ({ ...f, reason: `${where}: ${f.reason}` }));
}

/** As matchNested: arrays nested in the array are searched too, without a note of their own. */
function explainElement(node: ObjectNode, value: unknown, path: readonly string[]): Failure[] {
  if (!Array.isArray(value)) return explainNode(node, isObject(value) ? value : undefined, path);
  if (value.length === 0) return explainNode(node, undefined, path);
  let closest: Failure[] | undefined;
  for (const element of value) {
    const failures = explainElement(node, element, path);
    if (failures.length === 0) return [];
    if (closest === undefined || failures.length < closest.length) closest = failures;
  }
  return closest as Failure[];
}

function flatten(array: readonly unknown[], out: unknown[] = []): unknown[] {
  for (const element of array) {
    if (Array.isArray(element)) flatten(element, out);
    else out.push(element);
  }
  return out;
}

/** The leaf values at `rest` below `value`, through arrays (keys with dots included). */
function valuesAt(value: unknown, rest: readonly string[]): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown, from: number) => {
    if (Array.isArray(v)) {
      for (const element of v) walk(element, from);
    } else if (from === rest.length) {
      if (v !== undefined && !isObject(v)) out.push(v);
    } else if (isObject(v)) {
      let name = rest[from] as string;
      walk(readField(v, name), from + 1);
      for (let to = from + 1; to < rest.length; to++) {
        name = `${name}.${rest[to]}`;
        walk(readField(v, name), to + 1);
      }
    }
  };
  walk(value, 0);
  return out;
}

function failure(
  path: string[],
  condition: readonly unknown[],
  value: unknown,
  kind: "leaf" | "absent",
): Failure {
  const name = path.join(".");
  const wanted = JSON.stringify(condition);
  if (kind === "absent") {
    const actual = value as unknown[];
    return {
      path,
      condition,
      actual,
      reason: `${name} is ${show(actual)}, but the pattern needs it absent (${wanted})`,
    };
  }
  if (value === undefined) {
    return {
      path,
      condition,
      actual: "absent",
      reason: `${name} is absent; the pattern needs ${wanted}`,
    };
  }
  const actual = Array.isArray(value) ? flatten(value) : [value];
  const what = isObject(value) ? "an object, not a value" : show(actual);
  return { path, condition, actual, reason: `${name} is ${what}, which does not match ${wanted}` };
}

function show(values: readonly unknown[]): string {
  const text = values.length === 1 ? JSON.stringify(values[0]) : JSON.stringify(values);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
