// One field's value array of a pattern (`"state": ["running", {"prefix": "stop"}]`): validated
// and compiled into a predicate over the event's value for that field.

import { fail } from "./errors.js";
import { ignoreCaseMatcher } from "./ignore-case.js";
import { compileCidr, compileIpEquals } from "./ip.js";
import { checkComparable, isComparable } from "./numbers.js";
import { type WrittenNumbers, writtenForm } from "./pattern-text.js";
import { compileWildcard, parseWildcard } from "./wildcard.js";

export type JsonObject = Record<string, unknown>;
type ValuePredicate = (value: unknown) => boolean;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An own property; "__proto__" (an own key when JSON.parse made the object) read as data. */
export function own(object: JsonObject, key: string): unknown {
  if (key === "__proto__") return Object.getOwnPropertyDescriptor(object, key)?.value;
  return object[key];
}

const BAD_MATCH_VALUE = "Match value must be String, number, true, false, or null";

/** What the values of one leaf array add up to. */
interface LeafParts {
  strings: Set<string>;
  numbers: Set<number>;
  hasTrue: boolean;
  hasFalse: boolean;
  hasNull: boolean;
  existsTrue: boolean;
  existsFalse: boolean;
  predicates: ValuePredicate[];
  /** Case-sensitive prefixes and wildcard starts that a string must have for predicates to hold. */
  prefixes: Set<string>;
  /** How many predicates hold only for strings with one of `prefixes`. */
  prefixed: number;
  /** The bounds of numeric range predicates (their number in `ranged`). */
  ranges: [number, number][];
  ranged: number;
  hasWildcard: boolean;
}

/** What a string must be for the leaf to match it: what a rule set indexes rules by. */
export interface LeafIndex {
  readonly exact: ReadonlySet<string>;
  /** Prefixes, and the literal start of wildcards (`/api/*` needs `/api/`). */
  readonly prefixes: ReadonlySet<string>;
  /** No wildcard: a string equal to `exact` or starting with `prefixes` does match. */
  readonly complete: boolean;
}

export interface Leaf {
  /** Takes the event's value for the field (undefined when absent). */
  test: (value: unknown) => boolean;
  /** The only condition is `exists: false`. */
  absenceOnly: boolean;
  /** The only condition is `exists: true`: any leaf value (null included) matches. */
  presenceOnly: boolean;
  /** Set when only strings can match: those equal to `exact` or starting with a `prefixes` entry. */
  index: LeafIndex | undefined;
  /** Set when only numbers can match: those within one of these [low, high] ranges. */
  numericRanges: readonly (readonly [number, number])[] | undefined;
  cost: number;
}

/** Compiles one field's value array; `written` holds the JSON text of numbers, if known. */
export function compileLeaf(values: unknown[], path: string, written?: WrittenNumbers): Leaf {
  if (values.length === 0) fail("Empty arrays are not allowed", path, values);
  const parts: LeafParts = {
    strings: new Set(),
    numbers: new Set(),
    hasTrue: false,
    hasFalse: false,
    hasNull: false,
    existsTrue: false,
    existsFalse: false,
    predicates: [],
    prefixes: new Set(),
    prefixed: 0,
    ranges: [],
    ranged: 0,
    hasWildcard: false,
  };
  for (const value of values) {
    if (typeof value === "string") {
      parts.strings.add(value);
      const sameIp = compileIpEquals(value);
      if (sameIp !== undefined) parts.predicates.push(sameIp);
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) fail(BAD_MATCH_VALUE, path, value);
      parts.numbers.add(value);
    } else if (typeof value === "boolean") {
      if (value) parts.hasTrue = true;
      else parts.hasFalse = true;
    } else if (value === null) {
      parts.hasNull = true;
    } else if (isObject(value)) {
      addMatchExpression(value, path, parts, written);
    } else {
      fail(BAD_MATCH_VALUE, path, value);
    }
  }
  const predicate = buildPredicate(parts);
  const { existsTrue, existsFalse } = parts;
  const onlyStrings =
    predicate !== undefined &&
    !existsTrue &&
    !existsFalse &&
    parts.predicates.length === 0 &&
    parts.numbers.size === 0 &&
    !parts.hasTrue &&
    !parts.hasFalse &&
    !parts.hasNull;
  const onlyStringsOrPrefixes =
    predicate !== undefined &&
    !existsTrue &&
    !existsFalse &&
    parts.predicates.length === parts.prefixed &&
    parts.numbers.size === 0 &&
    !parts.hasTrue &&
    !parts.hasFalse &&
    !parts.hasNull;
  const onlyNumbers =
    predicate !== undefined &&
    !existsTrue &&
    !existsFalse &&
    parts.predicates.length === parts.ranged &&
    parts.strings.size === 0 &&
    !parts.hasTrue &&
    !parts.hasFalse &&
    !parts.hasNull;
  const numericRanges = onlyNumbers
    ? [...parts.ranges, ...[...parts.numbers].map((n): [number, number] => [n, n])]
    : undefined;
  return {
    test: leafTest(predicate, existsTrue, existsFalse),
    numericRanges,
    absenceOnly: existsFalse && !existsTrue && predicate === undefined,
    presenceOnly: existsTrue && !existsFalse && predicate === undefined,
    index: onlyStringsOrPrefixes
      ? { exact: parts.strings, prefixes: parts.prefixes, complete: !parts.hasWildcard }
      : undefined,
    cost: onlyStrings ? 0 : 1,
  };
}

/**
 * A field's event value against its leaf: any leaf value (an array's elements, at any depth,
 * that are not objects) satisfying a predicate matches; `exists: true` matches when there is
 * a leaf value at all (null included) and `exists: false` when there is none.
 */
function leafTest(
  predicate: ValuePredicate | undefined,
  existsTrue: boolean,
  existsFalse: boolean,
): (value: unknown) => boolean {
  const test = predicate ?? (() => false);
  const scan = (array: unknown[]): number => {
    // 0: no leaf value, 1: leaf values but none matched, 2: matched
    let seen = 0;
    for (const element of array) {
      if (Array.isArray(element)) {
        const inner = scan(element);
        if (inner === 2) return 2;
        if (inner === 1) seen = 1;
      } else if (typeof element !== "object" || element === null) {
        if (test(element)) return 2;
        seen = 1;
      }
    }
    return seen;
  };
  return (value) => {
    if (value === undefined) return existsFalse;
    if (Array.isArray(value)) {
      const found = scan(value);
      return found === 2 || (found === 0 ? existsFalse : existsTrue);
    }
    if (typeof value === "object" && value !== null) return existsFalse;
    return test(value) || existsTrue;
  };
}

function buildPredicate(parts: LeafParts): ValuePredicate | undefined {
  const { strings, numbers, hasTrue, hasFalse, hasNull, predicates } = parts;
  const onlyStrings =
    numbers.size === 0 && !hasTrue && !hasFalse && !hasNull && predicates.length === 0;
  if (onlyStrings) {
    if (strings.size === 0) return undefined;
    if (strings.size === 1) {
      const only = strings.values().next().value as string;
      return (value) => value === only;
    }
    return (value) => typeof value === "string" && strings.has(value);
  }
  if (strings.size === 0 && numbers.size === 0 && predicates.length === 1) {
    if (!hasTrue && !hasFalse && !hasNull) return predicates[0];
  }
  return (value) => {
    switch (typeof value) {
      case "string":
        if (strings.has(value)) return true;
        break;
      case "number":
        if (numbers.has(value)) return true;
        break;
      case "boolean":
        if (value ? hasTrue : hasFalse) return true;
        break;
      default:
        if (value === null && hasNull) return true;
    }
    for (const predicate of predicates) if (predicate(value)) return true;
    return false;
  };
}

const ANYTHING_BUT_OPERATORS = new Set(["equals-ignore-case", "prefix", "suffix", "wildcard"]);

function addMatchExpression(
  expression: JsonObject,
  path: string,
  parts: LeafParts,
  written: WrittenNumbers | undefined,
): void {
  const keys = Object.keys(expression);
  if (keys.length === 0) fail("Match expression name not found", path, expression);
  if (keys.length > 1) fail("Only one key allowed in match expression", path, expression);
  const name = keys[0] as string;
  const operand = own(expression, name);
  switch (name) {
    case "prefix": {
      if (isObject(operand)) {
        const test = ignoreCaseMatcher(ignoreCaseOperand(operand, "prefix", path), "prefix");
        parts.predicates.push((value) => typeof value === "string" && test(value));
        return;
      }
      if (typeof operand !== "string") fail("prefix match pattern must be a string", path, operand);
      parts.prefixes.add(operand);
      parts.prefixed++;
      parts.predicates.push((value) => typeof value === "string" && value.startsWith(operand));
      return;
    }
    case "suffix": {
      if (isObject(operand)) {
        const test = ignoreCaseMatcher(ignoreCaseOperand(operand, "suffix", path), "suffix");
        parts.predicates.push((value) => typeof value === "string" && test(value));
        return;
      }
      if (typeof operand !== "string") fail("suffix match pattern must be a string", path, operand);
      parts.predicates.push((value) => typeof value === "string" && value.endsWith(operand));
      return;
    }
    case "equals-ignore-case": {
      if (typeof operand !== "string") {
        fail("equals-ignore-case match pattern must be a string", path, operand);
      }
      const test = ignoreCaseMatcher(operand, "equals");
      parts.predicates.push((value) => typeof value === "string" && test(value));
      return;
    }
    case "wildcard": {
      if (typeof operand !== "string")
        fail("wildcard match pattern must be a string", path, operand);
      const test = compileWildcard(operand, path);
      parts.prefixes.add(parseWildcard(operand, path)[0] as string);
      parts.prefixed++;
      parts.hasWildcard = true;
      parts.predicates.push((value) => typeof value === "string" && test(value));
      return;
    }
    case "exists": {
      if (typeof operand !== "boolean") {
        fail("exists match pattern must be either true or false.", path, operand);
      }
      if (operand) parts.existsTrue = true;
      else parts.existsFalse = true;
      return;
    }
    case "cidr": {
      if (typeof operand !== "string") fail("cidr match pattern must be a string", path, operand);
      parts.predicates.push(compileCidr(operand, path));
      return;
    }
    case "numeric": {
      const numeric = compileNumeric(operand, path, written);
      if (typeof numeric === "number") parts.numbers.add(numeric);
      else {
        parts.predicates.push(numeric);
        parts.ranges.push(bounds(operand as unknown[]));
        parts.ranged++;
      }
      return;
    }
    case "anything-but": {
      parts.predicates.push(compileAnythingBut(expression, path, written));
      return;
    }
    default:
      fail(`Unrecognized match type ${name}`, path, expression);
  }
}

/** The string of `{ "equals-ignore-case": "..." }` under prefix or suffix. */
function ignoreCaseOperand(operand: JsonObject, operator: string, path: string): string {
  const keys = Object.keys(operand);
  const title = operator === "prefix" ? "Prefix" : "Suffix";
  if (keys.length === 0) fail(`${title} expression name not found`, path, operand);
  const key = keys[0] as string;
  if (key !== "equals-ignore-case") fail(`Unsupported ${operator} pattern: ${key}`, path, operand);
  if (keys.length > 1) fail("Only one key allowed in match expression", path, operand);
  const value = own(operand, key);
  if (typeof value !== "string") {
    fail("equals-ignore-case match pattern must be a string", path, value);
  }
  return value;
}

function describe(value: unknown): string {
  return value === undefined ? "]" : typeof value === "string" ? value : JSON.stringify(value);
}

/** The lowest and highest number a valid numeric range expression can match. */
function bounds(operand: readonly unknown[]): [number, number] {
  const [operator, first, , second] = operand as [string, number, string?, number?];
  if (operator.startsWith("<")) return [Number.NEGATIVE_INFINITY, first];
  return [first, second ?? Number.POSITIVE_INFINITY];
}

/** `["=", n]` compiles to n (exact numeric equality); ranges compile to a predicate. */
function compileNumeric(
  operand: unknown,
  path: string,
  written: WrittenNumbers | undefined,
): number | ValuePredicate {
  if (!Array.isArray(operand)) fail("Value of numeric must be an array.", path, operand);
  const operator = operand[0];
  if (typeof operator !== "string") {
    fail(`Invalid member in numeric match: ${describe(operator)}`, path, operand);
  }
  const numberAt = (index: number, name: string): number => {
    const value = operand[index];
    if (typeof value !== "number") fail(`Value of ${name} must be numeric`, path, operand);
    return checkComparable(value, path, writtenForm(written, operand, index));
  };
  switch (operator) {
    case "=": {
      const value = numberAt(1, "=");
      if (operand.length > 2) fail("Too many elements in numeric expression", path, operand);
      return value;
    }
    case "<":
    case "<=": {
      const top = numberAt(1, operator);
      if (operand.length > 2) fail("Too many elements in numeric expression", path, operand);
      return operator === "<"
        ? (value) => isComparable(value) && value < top
        : (value) => isComparable(value) && value <= top;
    }
    case ">":
    case ">=": {
      const bottom = numberAt(1, operator);
      const openBottom = operator === ">";
      if (operand.length === 2) {
        return openBottom
          ? (value) => isComparable(value) && value > bottom
          : (value) => isComparable(value) && value >= bottom;
      }
      const second = operand[2];
      if (typeof second !== "string") {
        fail(`Bad value in numeric range: ${describe(second)}`, path, operand);
      }
      if (second !== "<" && second !== "<=") {
        fail(`Bad numeric range operator: ${second}`, path, operand);
      }
      const top = numberAt(3, second);
      if (operand.length > 4) fail("Too many terms in numeric range expression", path, operand);
      if (bottom >= top) fail("Bottom must be less than top", path, operand);
      const openTop = second === "<";
      return (value) =>
        isComparable(value) &&
        (openBottom ? value > bottom : value >= bottom) &&
        (openTop ? value < top : value <= top);
    }
    default:
      fail(`Unrecognized numeric range operator: ${operator}`, path, operand);
  }
}

/**
 * anything-but matches a leaf value that the excluded values do not match, so a field that is
 * absent (or has no leaf value) never matches it; over an array, one such element suffices.
 */
function compileAnythingBut(
  expression: JsonObject,
  path: string,
  written: WrittenNumbers | undefined,
): ValuePredicate {
  const operand = own(expression, "anything-but");
  if (isObject(operand)) return compileAnythingButOperator(operand, path);
  if (typeof operand === "string") return (value) => value !== operand;
  if (typeof operand === "number") {
    const excluded = checkComparable(
      operand,
      path,
      writtenForm(written, expression, "anything-but"),
    );
    return (value) => value !== excluded;
  }
  if (!Array.isArray(operand)) {
    fail("Value of anything-but must be an array or single string/number value.", path, operand);
  }
  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const [i, value] of operand.entries()) {
    if (typeof value === "string") strings.add(value);
    else if (typeof value === "number") {
      numbers.add(checkComparable(value, path, writtenForm(written, operand, i)));
    } else fail("Inside anything but list, start|null|boolean is not supported.", path, operand);
  }
  if (strings.size > 0 === numbers.size > 0) {
    fail(
      "Inside anything but list, either all values are number or string, mixed type is not supported",
      path,
      operand,
    );
  }
  return strings.size > 0
    ? (value) => !(typeof value === "string" && strings.has(value))
    : (value) => !(typeof value === "number" && numbers.has(value));
}

function compileAnythingButOperator(operand: JsonObject, path: string): ValuePredicate {
  const keys = Object.keys(operand);
  if (keys.length === 0) fail("Anything-But expression name not found", path, operand);
  const operator = keys[0] as string;
  if (!ANYTHING_BUT_OPERATORS.has(operator)) {
    fail(`Unsupported anything-but pattern: ${operator}`, path, operand);
  }
  if (keys.length > 1) fail("Only one key allowed in anything-but expression", path, operand);
  const inner = own(operand, operator);
  const wrongType =
    operator === "equals-ignore-case"
      ? "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
      : operator === "wildcard"
        ? "wildcard match pattern must be a string"
        : "prefix/suffix match pattern must be a string";
  let values: string[];
  if (typeof inner === "string") values = [inner];
  else if (typeof inner === "number") fail(wrongType, path, operand);
  else if (Array.isArray(inner)) {
    if (inner.length === 0) fail("Empty arrays are not allowed", path, operand);
    values = inner.map((value) => {
      if (typeof value !== "string") fail(wrongType, path, operand);
      return value;
    });
  } else {
    fail("Value of anything-but must be an array or single string/number value.", path, operand);
  }
  switch (operator) {
    case "prefix":
    case "suffix": {
      if (values.some((value) => value === "")) {
        fail("Null prefix/suffix not allowed", path, operand);
      }
      const list = values;
      return operator === "prefix"
        ? (value) => !(typeof value === "string" && list.some((p) => value.startsWith(p)))
        : (value) => !(typeof value === "string" && list.some((s) => value.endsWith(s)));
    }
    case "equals-ignore-case": {
      const tests = values.map((value) => ignoreCaseMatcher(value, "equals"));
      return (value) => !(typeof value === "string" && tests.some((test) => test(value)));
    }
    default: {
      for (const value of values) parseWildcard(value, path);
      const tests = values.map((value) => compileWildcard(value, path));
      return (value) => !(typeof value === "string" && tests.some((test) => test(value)));
    }
  }
}
