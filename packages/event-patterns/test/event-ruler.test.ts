// Conformance with aws/event-ruler, the matcher behind EventBridge: 2,230 cases recorded from
// event-ruler's own test suite (see /work/shared/conformance/README.md where they came from).
// Every case must agree, or belong to a known difference listed here AND in README.md.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compilePattern, validatePattern } from "../src/index.js";

interface Case {
  level: "Machine" | "ByteMachine" | "validity";
  test: string;
  pattern: string;
  event?: string;
  match?: boolean;
  valid?: boolean;
}

interface Example {
  class: string;
  pattern: unknown;
  event?: unknown;
  eventRulerMatch?: boolean;
  eventRulerValid?: boolean;
}

/** A case or example, with the pattern and event parsed. */
interface Subject {
  validity: boolean;
  pattern: unknown;
  patternText: string;
  event: unknown;
  /** Our refusal, when we refuse the pattern. */
  ourError: string | undefined;
}

interface KnownDifference {
  class: string;
  applies: (subject: Subject) => boolean;
  reason: string;
}

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./conformance/${name}`, import.meta.url), "utf8"));

/** Every value array of the pattern, by field path (`$or` alternatives flattened). */
function fields(pattern: unknown, path = "", out = new Map<string, unknown[]>()) {
  if (typeof pattern !== "object" || pattern === null || Array.isArray(pattern)) return out;
  for (const [key, value] of Object.entries(pattern)) {
    if (key === "$or" && Array.isArray(value)) {
      for (const alternative of value) fields(alternative, path, out);
    } else if (Array.isArray(value)) {
      const name = path === "" ? key : `${path}.${key}`;
      out.set(name, [...(out.get(name) ?? []), ...value]);
    } else {
      fields(value, path === "" ? key : `${path}.${key}`, out);
    }
  }
  return out;
}

function leafValues(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const element of value) leafValues(element, out);
  else if (typeof value === "object" && value !== null) {
    for (const element of Object.values(value)) leafValues(element, out);
  } else out.push(value);
  return out;
}

const operators = (subject: Subject, name: string) =>
  [...fields(subject.pattern).values()].some((values) =>
    values.some((v) => typeof v === "object" && v !== null && name in v),
  );

const isWildcard = (v: unknown) =>
  typeof v === "object" &&
  v !== null &&
  ("wildcard" in v ||
    ("anything-but" in v &&
      typeof v["anything-but"] === "object" &&
      v["anything-but"] !== null &&
      "wildcard" in v["anything-but"]));

/** The classes where we knowingly answer differently from event-ruler 2.x (README.md lists them). */
const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    class: "numeric-limits",
    reason:
      "EventBridge documents numeric matching within ±5.0e9 and six decimals: we refuse pattern numbers beyond that and leave event numbers beyond ±5.0e9 out of ranges; event-ruler 2.x compares any double",
    applies: (s) =>
      (s.validity &&
        (s.ourError?.includes("Only values upto 6 decimals are supported") === true ||
          s.ourError?.includes("Value must be between -5.0E9 and 5.0E9") === true)) ||
      (!s.validity &&
        operators(s, "numeric") &&
        leafValues(s.event).some((v) => typeof v === "number" && Math.abs(v) > 5e9)),
  },
  {
    class: "eic-non-bmp",
    reason:
      "event-ruler defect: its ignore-case forms split characters outside the BMP into lone surrogates, so even the identical string does not match",
    applies: (s) =>
      /equals-ignore-case/.test(s.patternText) && /[\u{10000}-\u{10FFFF}]/u.test(s.patternText),
  },
  {
    class: "eic-titlecase",
    reason:
      "event-ruler defect: it accepts a character's lower- and upper-case forms only, so a titlecase letter (ǅ) does not match itself",
    applies: (s) => /equals-ignore-case/.test(s.patternText) && /\p{Lt}/u.test(s.patternText),
  },
  {
    class: "cidr-cross-family",
    reason:
      "event-ruler defect: it compares addresses as hex strings, so ::/0 takes in IPv4 addresses and 0.0.0.0/0 takes in ::1",
    applies: (s) => operators(s, "cidr") && leafValues(s.event).some((v) => typeof v === "string"),
  },
  {
    class: "cidr-matches-number",
    reason:
      "event-ruler defect: an unquoted JSON number's digits can fall inside a block's hex range; only strings are addresses",
    applies: (s) => operators(s, "cidr") && leafValues(s.event).some((v) => typeof v === "number"),
  },
  {
    class: "wildcard-combination",
    reason:
      "event-ruler defect: a wildcard with a leading * shares states with another matcher on the same field and answers for it",
    applies: (s) =>
      [...fields(s.pattern).values()].some(
        (values) => values.some(isWildcard) && values.some((v) => !isWildcard(v)),
      ),
  },
  {
    class: "exists-true-and-false",
    reason:
      "event-ruler defect: with exists true and false on one field in two $or alternatives, its two finders disagree and its answer depends on what ran before",
    applies: (s) =>
      [...fields(s.pattern).values()].some(
        (values) =>
          values.some((v) => JSON.stringify(v) === '{"exists":true}') &&
          values.some((v) => JSON.stringify(v) === '{"exists":false}'),
      ),
  },
];

function subject(pattern: unknown, event: unknown, validity: boolean): Subject {
  const patternText = typeof pattern === "string" ? pattern : JSON.stringify(pattern);
  const parsedPattern = typeof pattern === "string" ? JSON.parse(pattern) : pattern;
  return {
    validity,
    pattern: parsedPattern,
    patternText,
    event: typeof event === "string" ? JSON.parse(event) : event,
    ourError: validatePattern(pattern),
  };
}

function classify(s: Subject): string {
  return KNOWN_DIFFERENCES.find((difference) => difference.applies(s))?.class ?? "unexplained";
}

describe("event-ruler's own test suite", () => {
  const cases = load<Case[]>("event-ruler-cases.json");

  it("has every case either agree or fall in a known difference", () => {
    let agree = 0;
    const known = new Map<string, number>();
    const unexplained: Case[] = [];
    for (const c of cases) {
      const validity = c.level === "validity";
      const s = subject(c.pattern, c.event, validity);
      const ours = validity ? s.ourError === undefined : compilePattern(c.pattern).matches(c.event);
      const theirs = validity ? c.valid : c.match;
      if (ours === theirs) {
        agree++;
        continue;
      }
      const name = classify(s);
      if (name === "unexplained") unexplained.push(c);
      else known.set(name, (known.get(name) ?? 0) + 1);
    }
    const knownTotal = [...known.values()].reduce((a, b) => a + b, 0);
    const detail = [...known].map(([name, n]) => `${name} ${n}`).join(", ");
    console.log(
      `${cases.length} cases: ${agree} agree, ${knownTotal} known differences (${detail}), ${unexplained.length} unexplained`,
    );
    expect(unexplained).toEqual([]);
    expect(cases.length).toBe(2230);
    expect(agree).toBe(2228);
  });

  it("agrees with the recorded Machine, ByteMachine and validity cases in the numbers README gives", () => {
    const levels = new Map<string, number>();
    for (const c of cases) levels.set(c.level, (levels.get(c.level) ?? 0) + 1);
    expect(Object.fromEntries(levels)).toEqual({ Machine: 767, ByteMachine: 1094, validity: 369 });
  });
});

describe("one example per class where we differed from event-ruler", () => {
  const examples = load<Example[]>("event-ruler-differences.json");
  const knownNames = new Set(KNOWN_DIFFERENCES.map((d) => d.class));
  /** Classes of the shared data renamed here: the numeric limits are one documented difference. */
  const renamed: Record<string, string> = {
    "numeric-event-out-of-range": "numeric-limits",
    "validity-numeric-range": "numeric-limits",
    "validity-numeric-decimals": "numeric-limits",
    "ruler-exists-true-false": "exists-true-and-false",
  };

  it.each(examples.map((e, i) => [`${i} ${e.class}`, e] as const))("%s", (_name, example) => {
    const validity = example.event === undefined;
    const ours = validity
      ? validatePattern(example.pattern) === undefined
      : compilePattern(example.pattern).matches(example.event);
    const theirs = validity ? example.eventRulerValid : example.eventRulerMatch;
    const name = renamed[example.class] ?? example.class;
    if (knownNames.has(name)) {
      expect(ours).toBe(!theirs);
      expect(classify(subject(example.pattern, example.event, validity))).toBe(name);
    } else {
      expect(ours).toBe(theirs); // a class where we now follow event-ruler
    }
  });
});

describe("the README", () => {
  it("lists exactly the known differences of this test, each with its reason", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.split("## Known differences from event-ruler")[1]?.split("\n## ")[0];
    expect(section).toBeDefined();
    const listed = [...(section as string).matchAll(/^\| `([a-z-]+)` *\|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(KNOWN_DIFFERENCES.map((d) => d.class).sort());
  });
});
