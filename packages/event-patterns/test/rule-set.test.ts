// The rule-set matcher must answer exactly as matching each rule alone: random mixes of the
// patterns of event-ruler's suite, of the documentation table and of bus-like rules, against
// random events from the same sources.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compilePattern, compileRuleSet, validatePattern } from "../src/index.js";

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./conformance/${name}`, import.meta.url), "utf8"));

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function randomFrom(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]) => list[int(list.length)] as T;
  return { next, int, pick };
}

const SOURCES = ["orders", "billing", "shipping", "aws.ec2", "com.acme.users"];
const TYPES = ["Order Placed", "Order Shipped", "Payment Failed", "Heartbeat"];

/** Rules shaped like a bus's: exact source / detail-type, prefixes, $or, arrays, exists. */
function busPattern(r: ReturnType<typeof randomFrom>): unknown {
  switch (r.int(11)) {
    case 0:
      return { source: [r.pick(SOURCES)] };
    case 1:
      return { source: [r.pick(SOURCES)], "detail-type": [r.pick(TYPES)] };
    case 2:
      return {
        source: [r.pick(SOURCES), r.pick(SOURCES)],
        detail: { n: [{ numeric: [">", r.int(10)] }] },
      };
    case 3:
      return { "detail-type": [{ prefix: r.pick(["Order", "Pay", "", "Heart"]) }] };
    case 4:
      return {
        source: [r.pick(SOURCES)],
        $or: [{ "detail-type": [r.pick(TYPES)] }, { detail: { status: ["ok"] } }],
      };
    case 5:
      return { $or: [{ source: [r.pick(SOURCES)] }, { "detail-type": [r.pick(TYPES)] }] };
    case 6:
      return {
        detail: { tags: [r.pick(["a", "b"]), { prefix: "c" }] },
        source: [{ exists: true }],
      };
    case 7:
      return { source: [r.pick(SOURCES)], detail: { status: [{ exists: false }] } };
    case 8:
      return { detail: { n: [{ numeric: ["<", r.int(12)] }], status: [{ exists: true }] } };
    case 9:
      return { detail: { n: [r.int(12), { numeric: [">=", r.int(12), "<", 20] }] } };
    default:
      return { "detail.status": ["ok"], source: [{ "anything-but": r.pick(SOURCES) }] };
  }
}

function busEvent(r: ReturnType<typeof randomFrom>): unknown {
  const detail: Record<string, unknown> = { n: r.int(12) };
  if (r.next() < 0.5) detail.status = r.pick(["ok", "failed"]);
  if (r.next() < 0.5) detail.tags = [r.pick(["a", "b", "cx", "d"]), r.pick(["a", "c", "e"])];
  const event: Record<string, unknown> = {
    source: r.next() < 0.1 ? [r.pick(SOURCES), r.pick(SOURCES)] : r.pick(SOURCES),
    "detail-type": r.pick(TYPES),
    detail: r.next() < 0.1 ? [detail, { status: "ok" }] : detail,
  };
  if (r.next() < 0.05) event["detail.status"] = "ok"; // a dotted key
  if (r.next() < 0.05) delete event.source;
  return event;
}

describe("compileRuleSet", () => {
  const cases =
    load<{ level: string; pattern: string; event?: string }[]>("event-ruler-cases.json");
  const docs =
    load<{ pattern: unknown; matches: unknown[]; doesNotMatch: unknown[] }[]>("docs.json");
  const corpusPatterns: unknown[] = [
    ...cases
      .filter((c) => c.level === "Machine" && validatePattern(c.pattern) === undefined)
      .map((c) => c.pattern),
    ...docs.map((row) => row.pattern),
  ];
  const corpusEvents: unknown[] = [
    ...cases.filter((c) => c.level === "Machine").map((c) => JSON.parse(c.event as string)),
    ...docs.flatMap((row) => [...row.matches, ...row.doesNotMatch]),
  ];

  it("answers as each rule alone, on random mixes of rules and events", () => {
    const r = randomFrom(20260101);
    let matchesSeen = 0;
    for (let trial = 0; trial < 60; trial++) {
      const patterns = Array.from({ length: 1 + r.int(60) }, () =>
        r.next() < 0.5 ? r.pick(corpusPatterns) : busPattern(r),
      );
      const rules = patterns.map((pattern, i) => ({ name: `rule-${i}`, pattern }));
      const set = compileRuleSet(rules);
      const alone = rules.map((rule) => ({
        name: rule.name,
        compiled: compilePattern(rule.pattern),
      }));
      for (let e = 0; e < 60; e++) {
        const event = r.next() < 0.5 ? r.pick(corpusEvents) : busEvent(r);
        const expected = alone
          .filter((rule) => rule.compiled.matches(event))
          .map((rule) => rule.name);
        expect(set.matching(event), JSON.stringify({ trial, event })).toEqual(expected);
        matchesSeen += expected.length;
      }
    }
    expect(matchesSeen).toBeGreaterThan(1000); // the comparison is not only of empty answers
  });

  it("counts or indexes bus-like rules, keeps the rules' order and reports each rule once", () => {
    const set = compileRuleSet([
      { name: "b", pattern: { source: ["orders"], "detail-type": ["Order Placed"] } },
      {
        name: "a",
        pattern: { $or: [{ source: ["orders"] }, { "detail-type": ["Order Placed"] }] },
      },
      { name: "c", pattern: { "detail-type": [{ prefix: "Order" }] } },
      { name: "d", pattern: { detail: { n: [{ numeric: [">", 1] }] } } },
      { name: "e", pattern: '{"source": ["billing"]}' },
      {
        name: "f",
        pattern: { source: ["orders", "billing"], detail: { n: [{ numeric: [">", 5] }] } },
      },
      { name: "g", pattern: { detail: { a: ["x"], b: ["y"] } } },
      { name: "h", pattern: { x: [{ "anything-but": "q" }] } },
    ]);
    // g's two conditions must hold in one element of detail: evaluated after a lookup; d is
    // indexed by its numeric range, h by nothing; f's numeric range is a state's test
    expect(set.stats).toEqual({ subRules: 9, counted: 6, indexed: 2, unindexed: 1 });
    expect(set.matching({ source: "orders", "detail-type": "Order Placed" })).toEqual([
      "b",
      "a",
      "c",
    ]);
    expect(set.matching('{"source": ["billing", "orders"], "detail": {"n": 6}}')).toEqual([
      "a",
      "d",
      "e",
      "f",
    ]);
    expect(set.matching({ detail: [{ a: "x" }, { b: "y" }] })).toEqual([]);
    expect(set.matching({ detail: [{ a: "x" }, { a: "x", b: "y" }] })).toEqual(["g"]);
    expect(set.matching({ source: "x" })).toEqual([]);
    expect(set.matching("[]")).toEqual([]);
    expect(compileRuleSet([]).matching({ source: "x" })).toEqual([]);
  });

  it("reads dotted keys in events as every rule alone does", () => {
    const set = compileRuleSet([{ name: "x", pattern: { detail: { status: ["ok"] } } }]);
    expect(set.matching({ "detail.status": "ok" })).toEqual(["x"]);
    const indexed = compileRuleSet([{ name: "s", pattern: { "a.b": ["v"] } }]);
    expect(indexed.matching({ a: { b: "v" } })).toEqual(["s"]);
    expect(indexed.matching({ "a.b": "v" })).toEqual(["s"]);
    // any run of a path's keys may be spelled with dots, at any depth
    const deep = compileRuleSet([{ name: "d", pattern: { a: { b: { c: ["v"] } } } }]);
    expect(deep.matching({ a: { "b.c": "v" } })).toEqual(["d"]);
    expect(deep.matching({ "a.b": { c: "v" } })).toEqual(["d"]);
    expect(deep.matching({ "a.b.c": "v", x: { "y.z": 1 } })).toEqual(["d"]);
    // keys with dots that spell no path a rule reads change nothing
    expect(deep.matching({ a: { b: { c: "v" } }, "a.x": 1, x: { "b.c": "w" } })).toEqual(["d"]);
    expect(deep.matching({ a: { b: { c: "w" } }, "c.v": "v" })).toEqual([]);
  });

  it("refuses an invalid pattern with its reason", () => {
    expect(() =>
      compileRuleSet([
        { name: "ok", pattern: { source: ["a"] } },
        { name: "bad", pattern: { source: [] } },
      ]),
    ).toThrow('Invalid event pattern at "source": Empty arrays are not allowed');
  });
});
