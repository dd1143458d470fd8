// Validation and compilation in one pass: a pattern becomes event-ruler's sub-rules (one per
// combination of `$or` alternatives), each a tree of closures over the event's nesting.

import { fail, InvalidEventPatternError } from "./errors.js";
import { isObject, type JsonObject } from "./leaf.js";
import { parsePatternText, type WrittenNumbers } from "./pattern-text.js";
import { expandPattern, type SubRule } from "./sub-rules.js";
import { buildTree, type ObjectCheck, type ObjectNode } from "./tree.js";

/** A compiled event pattern. */
export interface CompiledPattern {
  /** Whether the event (a parsed JSON object, or its JSON text) matches the pattern. */
  matches(event: unknown): boolean;
}

/** A compiled sub-rule: the event matches the pattern when it matches any of them. */
interface CompiledSubRule {
  readonly entries: SubRule;
  readonly root: ObjectNode;
}

/** The pattern's inner form, shared by the rule-set matcher and explain(). */
export interface CompiledRule {
  readonly subRules: readonly CompiledSubRule[];
  readonly warnings: readonly string[];
  /** For events without keys with dots that spell one of the pattern's paths. */
  readonly match: ObjectCheck;
  /** For any event. */
  readonly matchDotted: ObjectCheck;
}

/**
 * Compiles a pattern into sub-rules; throws InvalidEventPatternError. Given JSON text, the
 * numeric limits are checked on numbers as written; given a parsed object, on its doubles.
 */
export function compileRule(pattern: unknown): CompiledRule {
  let parsed = pattern;
  let written: WrittenNumbers | undefined;
  if (typeof pattern === "string") ({ value: parsed, written } = parsePatternText(pattern));
  if (!isObject(parsed)) fail("Filter is not an object", "", parsed);
  const { subRules, warnings } = expandPattern(parsed, written);
  const compiled = subRules.map((entries) => ({ entries, root: buildTree(entries) }));
  const plain = anyOf(compiled.map((rule) => rule.root.match));
  const dotted = anyOf(compiled.map((rule) => rule.root.matchDotted));
  return { subRules: compiled, warnings, match: plain, matchDotted: dotted };
}

function anyOf(matchers: ObjectCheck[]): ObjectCheck {
  if (matchers.length === 1) return matchers[0] as ObjectCheck;
  return (event) => {
    for (const matcher of matchers) if (matcher(event)) return true;
    return false;
  };
}

/** Compiles a pattern (a parsed JSON object, or JSON text); throws InvalidEventPatternError. */
export function compilePattern(pattern: unknown): CompiledPattern {
  // Looking for dotted keys only where the pattern reads costs less than a walk of the event.
  const { matchDotted } = compileRule(pattern);
  return Object.freeze({
    matches(event: unknown): boolean {
      return matchDotted(toEventObject(event));
    },
  });
}

/** A parsed event, or undefined for anything but an object; JSON text is parsed first. */
export function toEventObject(event: unknown): JsonObject | undefined {
  const value = typeof event === "string" ? JSON.parse(event) : event;
  return isObject(value) ? value : undefined;
}

/** The reason the pattern is invalid (the error's message), or undefined when it is valid. */
export function validatePattern(pattern: unknown): string | undefined {
  try {
    compileRule(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error.message;
    throw error;
  }
}

/**
 * What a valid pattern says that its author probably did not mean, one line each: today a
 * field written twice in one sub-rule (typically again inside an `$or` alternative), where
 * EventBridge keeps only the later condition. Throws InvalidEventPatternError when invalid.
 */
export function patternWarnings(pattern: unknown): string[] {
  return [...compileRule(pattern).warnings];
}
