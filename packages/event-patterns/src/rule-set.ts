// All the rules of a bus compiled into one structure that shares work between rules. Most real
// rules demand an exact `source` or `detail-type` (or a prefix of one):
// - a sub-rule made only of such conditions (and `exists: true`), on fields with no common parent
//   object, is matched by counting: each string value of the event at an indexed path sets a bit
//   in the sub-rule's mask for each condition it satisfies, and a full mask is a match.
// - any other sub-rule is indexed by its rarest exact, prefix or wildcard-start condition (or,
//   lacking one, by a numeric range), and evaluated only when the event meets it; the few with
//   no such condition are always evaluated.
// The answers are exactly those of matching each rule alone (test/rule-set.test.ts).

import { compileRule, toEventObject } from "./compile.js";
import type { JsonObject, LeafIndex } from "./leaf.js";
import type { LeafEntry } from "./sub-rules.js";
import { hasDottedKeys, hasLeafAt, type ObjectCheck, readField } from "./tree.js";

export interface NamedPattern<Name> {
  readonly name: Name;
  /** A parsed pattern object, or its JSON text. */
  readonly pattern: unknown;
}

export interface RuleSet<Name> {
  /** The names of the rules the event (parsed, or JSON text) matches, in the rules' order. */
  matching(event: unknown): Name[];
  /** How the sub-rules are matched: by counting, by evaluation after an index, or always. */
  readonly stats: {
    readonly subRules: number;
    readonly counted: number;
    readonly indexed: number;
    readonly unindexed: number;
  };
}

/** Buckets of one field path, by exact value and by prefix. */
interface Buckets {
  readonly exact: Map<string, number[]>;
  readonly prefixes: Map<string, number[]>;
}

/** One indexed field path. Counted buckets hold `id * 32 + condition`; the others sub-rule ids. */
interface PathIndex {
  readonly segments: readonly string[];
  readonly counted: Buckets;
  readonly evaluated: Buckets;
  /** Counted codes of `exists: true` conditions: set when the path has any leaf value. */
  readonly present: number[];
  /** Evaluated sub-rules indexed by a numeric range here, sorted by the range's low end. */
  readonly numeric: { low: number; high: number; id: number }[];
  /** The distinct prefix lengths, so a value is looked up once per length. */
  prefixLengths: number[];
}

const MAX_COUNTED_CONDITIONS = 31;

/**
 * Compiles every rule; throws the InvalidEventPatternError of the first invalid pattern.
 */
export function compileRuleSet<Name>(rules: readonly NamedPattern<Name>[]): RuleSet<Name> {
  const names = rules.map((rule) => rule.name);
  const owners: number[] = [];
  const matchers: ObjectCheck[] = [];
  const entriesOf: LeafEntry[][] = [];
  const dottedRules: ObjectCheck[] = [];
  for (const [ruleIndex, rule] of rules.entries()) {
    const compiled = compileRule(rule.pattern);
    dottedRules.push(compiled.matchDotted);
    for (const subRule of compiled.subRules) {
      owners.push(ruleIndex);
      matchers.push(subRule.root.match);
      entriesOf.push([...subRule.entries.values()]);
    }
  }

  const paths = new Map<string, PathIndex>();
  const pathOf = (entry: LeafEntry) => {
    let path = paths.get(entry.key);
    if (path === undefined) {
      const buckets = (): Buckets => ({ exact: new Map(), prefixes: new Map() });
      path = {
        segments: entry.segments,
        counted: buckets(),
        evaluated: buckets(),
        present: [],
        numeric: [],
        prefixLengths: [],
      };
      paths.set(entry.key, path);
    }
    return path;
  };
  const register = (buckets: Buckets, index: LeafIndex, code: number) => {
    for (const value of index.exact) push(buckets.exact, value, code);
    for (const value of index.prefixes) push(buckets.prefixes, value, code);
  };

  // How many sub-rules name each (path, value): the cost of choosing it as an index.
  const frequency = new Map<string, number>();
  const bucketKey = (entry: LeafEntry, kind: string, value: string) =>
    `${entry.key}\u0000${kind}${value}`;
  for (const entries of entriesOf) {
    for (const entry of entries) {
      const index = entry.leaf.index;
      if (index === undefined) continue;
      for (const value of index.exact) {
        const key = bucketKey(entry, "=", value);
        frequency.set(key, (frequency.get(key) ?? 0) + 1);
      }
      for (const value of index.prefixes) {
        const key = bucketKey(entry, "^", value);
        frequency.set(key, (frequency.get(key) ?? 0) + 1);
      }
    }
  }

  const fullMask = new Uint32Array(matchers.length);
  const unindexed: number[] = [];
  let counted = 0;
  entriesOf.forEach((entries, id) => {
    if (countable(entries)) {
      counted++;
      entries.forEach((entry, condition) => {
        const code = id * 32 + condition;
        if (entry.leaf.presenceOnly) pathOf(entry).present.push(code);
        else register(pathOf(entry).counted, entry.leaf.index as LeafIndex, code);
      });
      fullMask[id] = 2 ** entries.length - 1;
      return;
    }
    let best: LeafEntry | undefined;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const entry of entries) {
      const index = entry.leaf.index;
      if (index === undefined) continue;
      let cost = 0;
      for (const value of index.exact) cost += frequency.get(bucketKey(entry, "=", value)) ?? 0;
      // a prefix costs a lookup per distinct length, and takes in more values
      for (const value of index.prefixes) {
        cost += 2 * (frequency.get(bucketKey(entry, "^", value)) ?? 0) + 1;
      }
      if (cost < bestCost) {
        best = entry;
        bestCost = cost;
      }
    }
    if (best !== undefined) {
      register(pathOf(best).evaluated, best.leaf.index as LeafIndex, id);
      return;
    }
    // No exact value or prefix: a numeric range will do (the narrowest one).
    let narrowest: LeafEntry | undefined;
    let width = Number.POSITIVE_INFINITY;
    for (const entry of entries) {
      const ranges = entry.leaf.numericRanges;
      if (ranges === undefined) continue;
      const span = ranges.reduce((sum, [low, high]) => sum + (high - low), 0);
      if (narrowest === undefined || span < width) {
        narrowest = entry;
        width = span;
      }
    }
    if (narrowest === undefined) {
      unindexed.push(id);
      return;
    }
    const path = pathOf(narrowest);
    for (const [low, high] of narrowest.leaf.numericRanges ?? [])
      path.numeric.push({ low, high, id });
  });
  for (const path of paths.values()) {
    path.numeric.sort((a, b) => a.low - b.low);
    const prefixes = [...path.counted.prefixes.keys(), ...path.evaluated.prefixes.keys()];
    path.prefixLengths = [...new Set(prefixes.map((prefix) => prefix.length))];
  }
  const indexes = [...paths.values()];

  // Per-event state, reset by bumping the stamp: masks of counted sub-rules, and marks so
  // that a sub-rule is evaluated once and a rule reported once.
  const mask = new Uint32Array(matchers.length);
  const touchedAt = new Uint32Array(matchers.length);
  const seenRule = new Uint32Array(rules.length);
  let stamp = 0;
  const touched: number[] = [];
  const matched: number[] = [];
  let object: JsonObject | undefined;

  const report = (id: number) => {
    const owner = owners[id] as number;
    if (seenRule[owner] === stamp) return;
    seenRule[owner] = stamp;
    matched.push(owner);
  };
  const evaluate = (id: number) => {
    if (touchedAt[id] === stamp) return;
    touchedAt[id] = stamp;
    if (seenRule[owners[id] as number] !== stamp && (matchers[id] as ObjectCheck)(object)) {
      report(id);
    }
  };
  const count = (code: number) => {
    const id = Math.floor(code / 32);
    if (touchedAt[id] !== stamp) {
      touchedAt[id] = stamp;
      mask[id] = 0;
      touched.push(id);
    }
    mask[id] = (mask[id] as number) | (1 << (code % 32));
  };
  /** Calls `each` with the codes of the buckets that a string value at the path falls in. */
  const lookUp = (index: PathIndex, counting: boolean, value: string) => {
    const buckets = counting ? index.counted : index.evaluated;
    const each = counting ? count : evaluate;
    const exact = buckets.exact.get(value);
    if (exact !== undefined) for (const code of exact) each(code);
    if (buckets.prefixes.size === 0) return;
    for (const length of index.prefixLengths) {
      if (length > value.length) continue;
      const bucket = buckets.prefixes.get(value.slice(0, length));
      if (bucket !== undefined) for (const code of bucket) each(code);
    }
  };
  /** lookUp for every string leaf value at the index's path below `value`, through arrays. */
  const forEachString = (value: unknown, index: PathIndex, from: number, counting: boolean) => {
    if (Array.isArray(value)) {
      for (const element of value) forEachString(element, index, from, counting);
      return;
    }
    if (from === index.segments.length) {
      if (typeof value === "string") lookUp(index, counting, value);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const next = readField(value as JsonObject, index.segments[from] as string);
    forEachString(next, index, from + 1, counting);
  };

  /** Evaluates the sub-rules whose numeric range holds a number at the index's path. */
  const forEachNumber = (value: unknown, index: PathIndex, from: number) => {
    if (Array.isArray(value)) {
      for (const element of value) forEachNumber(element, index, from);
      return;
    }
    if (from === index.segments.length) {
      if (typeof value !== "number") return;
      const ranges = index.numeric;
      // the ranges starting at or below the value: a binary search on the sorted low ends
      let end = 0;
      let top = ranges.length;
      while (end < top) {
        const middle = (end + top) >>> 1;
        if ((ranges[middle] as { low: number }).low <= value) end = middle + 1;
        else top = middle;
      }
      for (let i = 0; i < end; i++) {
        const range = ranges[i] as { high: number; id: number };
        if (range.high >= value) evaluate(range.id);
      }
      return;
    }
    if (typeof value !== "object" || value === null) return;
    forEachNumber(readField(value as JsonObject, index.segments[from] as string), index, from + 1);
  };

  return {
    stats: {
      subRules: matchers.length,
      counted,
      indexed: matchers.length - counted - unindexed.length,
      unindexed: unindexed.length,
    },
    matching(event: unknown): Name[] {
      const parsed = toEventObject(event);
      if (parsed !== undefined && hasDottedKeys(parsed)) {
        // Rare: keys with dots may spell an indexed path; every rule reads them itself.
        return names.filter((_, i) => (dottedRules[i] as ObjectCheck)(parsed));
      }
      object = parsed;
      stamp = stamp === 0xffffffff ? 1 : stamp + 1;
      if (stamp === 1) {
        touchedAt.fill(0);
        seenRule.fill(0);
      }
      touched.length = 0;
      matched.length = 0;
      // Counting first: it needs every value; then the evaluations, skipping rules already found.
      for (const index of indexes) {
        forEachString(object, index, 0, true);
        if (index.present.length > 0 && hasLeafAt(object, index.segments, 0)) {
          for (const code of index.present) count(code);
        }
      }
      for (const id of touched) if (mask[id] === fullMask[id]) report(id);
      for (const index of indexes) forEachString(object, index, 0, false);
      for (const index of indexes) {
        if (index.numeric.length > 0) forEachNumber(object, index, 0);
      }
      for (const id of unindexed) evaluate(id);
      const found = matched.sort((a, b) => a - b).map((owner) => names[owner] as Name);
      object = undefined;
      return found;
    },
  };
}

/**
 * A sub-rule decided by counting: every condition exact values and prefixes (no wildcard, no
 * other operator) or `exists: true`, on fields with no common parent object, so no array
 * element must hold two of them at once (array consistency is then no constraint).
 */
function countable(entries: readonly LeafEntry[]): boolean {
  if (entries.length > MAX_COUNTED_CONDITIONS) return false;
  const parents = new Set<string>();
  for (const entry of entries) {
    if (entry.leaf.index?.complete !== true && !entry.leaf.presenceOnly) return false;
    const top = entry.segments[0] as string;
    if (parents.has(top)) return false;
    parents.add(top);
  }
  return true;
}

function push(map: Map<string, number[]>, key: string, code: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [code]);
  else list.push(code);
}
