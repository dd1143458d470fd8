// A pattern as event-ruler reads it: a list of sub-rules (one per combination of `$or`
// alternatives), each a map from a field's dotted path to its condition. Writing a path that a
// sub-rule already has replaces the earlier condition (event-ruler's "rule overriding", the
// default in EventBridge), and `{"a.b": ...}` names the same field as `{"a": {"b": ...}}`.

import { fail } from "./errors.js";
import { compileLeaf, isObject, type JsonObject, type Leaf, own } from "./leaf.js";
import type { WrittenNumbers } from "./pattern-text.js";

/** One field's condition within a sub-rule. */
export interface LeafEntry {
  /** The field's path as event-ruler names it: the pattern's keys joined with dots. */
  readonly key: string;
  /** `key` split at its dots: the event's nesting that the condition applies to. */
  readonly segments: readonly string[];
  /** Where the pattern writes it, for messages: `detail.$or[1].price`. */
  readonly where: string;
  /** The pattern's value array, e.g. `[{"prefix": "ord"}]`. */
  readonly condition: readonly unknown[];
  readonly leaf: Leaf;
}

export type SubRule = Map<string, LeafEntry>;

export interface Expansion {
  subRules: SubRule[];
  /** One line per path written twice in a sub-rule (the later condition wins). */
  warnings: string[];
}

const OR = "$or";

/** `$or` alternatives multiply; beyond this many combinations a pattern is refused. */
const MAX_SUB_RULES = 10_000;

/** Names event-ruler refuses as field names inside `$or` (operators, and some it reserves). */
const RESERVED_IN_OR = new Set([
  "exactly",
  "equals-ignore-case",
  "prefix",
  "suffix",
  "anything-but",
  "exists",
  "wildcard",
  "numeric",
  "cidr",
  "=",
  "<",
  "<=",
  ">",
  ">=",
  "regex",
  "not-wildcard",
  "not-equals-ignore-case",
  "date-after",
  "date-on-or-after",
  "date-before",
  "date-on-or-before",
  "in-date-range",
  "ip-address-in-range",
  "ip-address-not-in-range",
]);

interface Context {
  written: WrittenNumbers | undefined;
  warnings: Set<string>;
}

/** Validates a parsed pattern object and expands it; throws InvalidEventPatternError. */
export function expandPattern(pattern: JsonObject, written?: WrittenNumbers): Expansion {
  const context: Context = { written, warnings: new Set() };
  const subRules: SubRule[] = [];
  parseObject(pattern, "", "", false, subRules, context);
  return { subRules, warnings: [...context.warnings] };
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function parseObject(
  pattern: JsonObject,
  prefix: string,
  where: string,
  inOr: boolean,
  rules: SubRule[],
  context: Context,
): void {
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail("Empty objects are not allowed", where, pattern);
  for (const key of keys) {
    const value = own(pattern, key);
    const fieldWhere = join(where, key);
    if (key === OR) {
      parseOr(value, prefix, fieldWhere, rules, context);
      continue;
    }
    if (inOr && RESERVED_IN_OR.has(key)) {
      fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`, fieldWhere);
    }
    if (Array.isArray(value)) {
      write(rules, join(prefix, key), fieldWhere, value, context);
    } else if (isObject(value)) {
      parseObject(value, join(prefix, key), fieldWhere, inOr, rules, context);
    } else {
      fail(`"${key}" must be an object or an array`, fieldWhere, value);
    }
  }
}

/** Every sub-rule so far is copied into each alternative, which then adds its own fields. */
function parseOr(
  value: unknown,
  prefix: string,
  where: string,
  rules: SubRule[],
  context: Context,
): void {
  if (!Array.isArray(value)) fail("It must be an Array followed with $or.", where, value);
  const before = rules.splice(0, rules.length);
  value.forEach((element, i) => {
    const elementWhere = `${where}[${i}]`;
    if (!isObject(element)) {
      fail("Only JSON object is allowed in array of $or relationship.", elementWhere, element);
    }
    const branch = before.length === 0 ? [new Map()] : before.map((rule) => new Map(rule));
    parseObject(element, prefix, elementWhere, true, branch, context);
    rules.push(...branch);
    if (rules.length > MAX_SUB_RULES) {
      fail(`The $or alternatives combine into more than ${MAX_SUB_RULES} sub-rules`, where);
    }
  });
  if (value.length < 2) {
    fail("There must have at least 2 Objects in $or relationship.", where, value);
  }
}

function write(
  rules: SubRule[],
  key: string,
  where: string,
  condition: unknown[],
  context: Context,
): void {
  const entry: LeafEntry = {
    key,
    segments: key.split("."),
    where,
    condition: structuredClone(condition),
    leaf: compileLeaf(condition, where, context.written),
  };
  if (rules.length === 0) rules.push(new Map());
  for (const rule of rules) {
    const earlier = rule.get(key);
    if (earlier !== undefined) {
      context.warnings.add(
        `"${where}" gives the field "${key}" again after "${earlier.where}": ` +
          "EventBridge keeps only the later condition, the earlier one is ignored",
      );
    }
    rule.set(key, entry);
  }
}
