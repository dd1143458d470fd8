// The conformance table: every example of the EventBridge event-pattern pages (and the
// aws/event-ruler README), each with the events the documentation says it matches and events
// it must not match, built from the documentation's statements. See README.md.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compilePattern, InvalidEventPatternError, validatePattern } from "../src/index.js";

interface Row {
  source: string;
  pattern: unknown;
  matches: unknown[];
  doesNotMatch: unknown[];
}

interface InvalidRow {
  source: string;
  pattern: unknown;
  /** A fragment of the reason. */
  reason: string;
  /** The path the message must name, when the row gives one. */
  path?: string;
}

function load<T>(name: string): T[] {
  return JSON.parse(readFileSync(new URL(`./conformance/${name}`, import.meta.url), "utf8"));
}

const rows = load<Row>("docs.json");
const invalid = load<InvalidRow>("invalid.json");

describe("the table itself", () => {
  it("has well over 100 match cases, each row with both matching and non-matching events", () => {
    const cases = rows.reduce((n, row) => n + row.matches.length + row.doesNotMatch.length, 0);
    expect(cases).toBeGreaterThan(200);
    for (const row of rows) {
      expect(row.matches.length, row.source).toBeGreaterThan(0);
      expect(row.doesNotMatch.length, row.source).toBeGreaterThan(0);
    }
    expect(invalid.length).toBeGreaterThan(60);
  });
});

describe.each(rows)("$source", (row) => {
  const compiled = compilePattern(row.pattern);
  // The same pattern as JSON text (or parsed from it) must behave the same.
  const other = compilePattern(
    typeof row.pattern === "string" ? JSON.parse(row.pattern) : JSON.stringify(row.pattern),
  );

  it.each(row.matches.map((event, i) => [i, event]))("matches event %i", (_i, event) => {
    expect(compiled.matches(event)).toBe(true);
    expect(other.matches(event)).toBe(true);
    expect(compiled.matches(JSON.stringify(event))).toBe(true);
  });

  it.each(row.doesNotMatch.map((event, i) => [i, event]))(
    "does not match event %i",
    (_i, event) => {
      expect(compiled.matches(event)).toBe(false);
      expect(other.matches(event)).toBe(false);
    },
  );
});

describe("invalid patterns", () => {
  it.each(invalid.map((row) => [row.source, row]))("%s", (_source, row) => {
    const input = row.pattern as unknown;
    let error: unknown;
    try {
      compilePattern(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    const message = (error as InvalidEventPatternError).message;
    expect(message).toContain(row.reason);
    if (row.path !== undefined) {
      expect(message).toContain(`at "${row.path}"`);
      expect((error as InvalidEventPatternError).path).toBe(row.path);
    }
    expect(validatePattern(input)).toBe(message);
  });
});
