// explain() must never disagree with matches(): checked on every Machine case of event-ruler's
// suite and every documentation row, and its failures must say what failed and why.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compilePattern, explain, formatExplanation } from "../src/index.js";

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./conformance/${name}`, import.meta.url), "utf8"));

/** explain's verdict and failures against matches(), for one pattern and event. */
function expectConsistent(pattern: unknown, event: unknown) {
  const matches = compilePattern(pattern).matches(event);
  const explanation = explain(pattern, event);
  expect(explanation.matches, JSON.stringify({ pattern, event })).toBe(matches);
  expect(explanation.failures.length === 0, JSON.stringify({ pattern, event })).toBe(matches);
  for (const failure of explanation.failures) {
    expect(failure.path.length).toBeGreaterThan(0);
    expect(failure.condition.length).toBeGreaterThan(0);
    expect(failure.reason).toContain(failure.path.join("."));
  }
  return explanation;
}

describe("explain agrees with matches", () => {
  it("on every Machine case of event-ruler's suite", () => {
    const cases = load<{ level: string; pattern: string; event: string }[]>(
      "event-ruler-cases.json",
    ).filter((c) => c.level === "Machine");
    let nonMatches = 0;
    for (const c of cases) {
      if (!expectConsistent(c.pattern, c.event).matches) nonMatches++;
    }
    expect(cases.length).toBe(767);
    expect(nonMatches).toBeGreaterThan(100);
  });

  it("on every documentation row, both ways", () => {
    const rows =
      load<{ pattern: unknown; matches: unknown[]; doesNotMatch: unknown[] }[]>("docs.json");
    for (const row of rows) {
      for (const event of row.matches)
        expect(expectConsistent(row.pattern, event).matches).toBe(true);
      for (const event of row.doesNotMatch) {
        expect(expectConsistent(row.pattern, event).matches).toBe(false);
      }
    }
  });
});

describe("what explain says", () => {
  it("names the path, the condition and the event's values", () => {
    const result = explain(
      { source: ["orders"], detail: { id: [{ prefix: "ord" }], n: [{ numeric: [">", 5] }] } },
      { source: "orders", detail: { id: "inv-1", n: [1, 2] } },
    );
    expect(result.matches).toBe(false);
    expect(result.failures).toEqual([
      {
        path: ["detail", "id"],
        condition: [{ prefix: "ord" }],
        actual: ["inv-1"],
        reason: 'detail.id is "inv-1", which does not match [{"prefix":"ord"}]',
      },
      {
        path: ["detail", "n"],
        condition: [{ numeric: [">", 5] }],
        actual: [1, 2],
        reason: 'detail.n is [1,2], which does not match [{"numeric":[">",5]}]',
      },
    ]);
    expect(formatExplanation(result)).toBe(
      'does not match: detail.id is "inv-1", which does not match [{"prefix":"ord"}]; detail.n is [1,2], which does not match [{"numeric":[">",5]}]',
    );
  });

  it("says absent, and explains exists: false", () => {
    expect(explain({ a: ["x"] }, {}).failures).toEqual([
      {
        path: ["a"],
        condition: ["x"],
        actual: "absent",
        reason: 'a is absent; the pattern needs ["x"]',
      },
    ]);
    expect(
      explain({ p: { q: [{ exists: false }] } }, { p: [{ q: 1 }, { r: 2 }] }).failures,
    ).toEqual([
      {
        path: ["p", "q"],
        condition: [{ exists: false }],
        actual: [1],
        reason: 'p.q is 1, but the pattern needs it absent ([{"exists":false}])',
      },
    ]);
    expect(explain({ a: ["x"] }, { a: { b: "x" } }).failures[0]?.reason).toBe(
      'a is an object, not a value, which does not match ["x"]',
    );
  });

  it("gives each failing $or alternative", () => {
    const result = explain(
      { source: ["a"], $or: [{ x: [1] }, { y: { z: [2] } }] },
      '{"source": "a", "x": 2, "y": {"z": 3}}',
    );
    expect(result.failures.map((f) => [f.branch, f.path.join(".")])).toEqual([
      [0, "x"],
      [1, "y.z"],
    ]);
    expect(formatExplanation(result)).toBe(
      "does not match: alternative 0: x is 2, which does not match [1] | alternative 1: y.z is 3, which does not match [2]",
    );
    expect(explain({ $or: [{ x: [1] }, { y: [2] }] }, { y: 2 })).toEqual({
      matches: true,
      failures: [],
    });
    expect(formatExplanation(explain({ x: [1] }, { x: 1 }))).toBe("matches");
  });

  it("points at the closest element when no array element satisfies all conditions", () => {
    const result = explain(
      { items: { sku: ["a"], qty: [{ numeric: [">", 1] }] } },
      {
        items: [
          { sku: "b", qty: 0 },
          { sku: "a", qty: 1 },
        ],
      },
    );
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.path).toEqual(["items", "qty"]);
    expect(result.failures[0]?.reason).toBe(
      'no element of the array at items satisfies every condition; in element 1: items.qty is 1, which does not match [{"numeric":[">",1]}]',
    );
  });

  it("reads dotted keys as matches does, and refuses invalid patterns", () => {
    expect(explain({ a: { b: ["x"] } }, { "a.b": "x" }).matches).toBe(true);
    expect(explain({ "a.b": ["x"] }, { a: { b: "y" } }).failures[0]?.path).toEqual(["a", "b"]);
    expect(() => explain({ a: [] }, {})).toThrow("Empty arrays are not allowed");
  });
});
