// All the rules of a bus compiled into one structure that shares work between rules, after
// event-ruler's Machine: states keyed by field path and value. Most real rules demand an exact
// `source` or `detail-type` (or a prefix of one):
// - a sub-rule made only of such conditions (and `exists: true`), on fields with no common parent
//   object, is a path of transitions from the root, its rarest condition first; an event follows
//   the transitions its values meet (a map lookup per value, one per prefix length), so the work
//   grows with the event and the states it reaches, not with the number of rules.
// - any other sub-rule waits in the state its rarest exact, prefix or wildcard-start condition
//   leads to (or, lacking one, behind a numeric range), and is evaluated only when the event gets
//   there; the few with no such condition are always evaluated.
// The answers are exactly those of matching each rule alone (test/rule-set.test.ts).

import { compileRule, toEventObject } from "./compile.js";
import type { JsonObject, LeafIndex } from "./leaf.js";
import type { LeafEntry } from "./sub-rules.js";
import { buildTree, hasLeafAt, type ObjectCheck, readField } from "./tree.js";

export interface NamedPattern<Name> {
  readonly name: Name;
  /** A parsed pattern object, or its JSON text. */
  readonly pattern: unknown;
}

export interface RuleSet<Name> {
  /** The names of the rules the event (parsed, or JSON text) matches, in the rules' order. */
  matching(event: unknown): Name[];
  /**
   * How the sub-rules are matched: by the transitions alone (`counted`), by evaluation once the
   * transitions or a numeric range pre-select them (`indexed`), or evaluated for every event.
   */
  readonly stats: {
    readonly subRules: number;
    readonly counted: number;
    readonly indexed: number;
    readonly unindexed: number;
  };
}

/**
 * A state of the machine: reached when the event meets every condition on the way from the root.
 * The conditions are those of sub-rules, each sub-rule a path from the root (rarest condition
 * first), so sub-rules that share their first conditions share states.
 */
interface State {
  /** Sub-rules whose conditions all lie on the way here: matched. */
  readonly matches: number[];
  /** Sub-rules that the way here only pre-selects: evaluated by their own matcher. */
  readonly evaluations: number[];
  /** Onward transitions, one entry per field path. */
  readonly transitions: Transitions[];
  /** Onward transitions taken when the event meets a condition that no lookup decides. */
  readonly tests: { readonly key: string; readonly test: ObjectCheck; readonly next: State }[];
  /** The stamp of the last event that reached the state, so it is visited once per event. */
  visitedAt: number;
}

/** A state's transitions on one field path: by exact string, by prefix, by presence. */
interface Transitions {
  readonly key: string;
  readonly segments: readonly string[];
  readonly exact: Map<string, State>;
  readonly prefixes: Map<string, State>;
  /** The distinct prefix lengths, ascending, so a value is looked up once per length. */
  prefixLengths: number[];
  /** Whether `exact` or `prefixes` has entries (read without touching the maps). */
  lookups: boolean;
  /** Taken when the path has any leaf value (`exists: true`). */
  present: State | undefined;
}

/** Conditions on the way to one sub-rule multiply by their values; beyond this it is evaluated. */
const MAX_WAYS = 64;

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

  // The names that rules read, so that an event is walked only where a rule reads it: each
  // path's keys, and each run of two or more of them joined with dots, as an event may spell it.
  const pathKeys = new Set<string>();
  const dottedSpellings = new Set<string>();
  for (const entries of entriesOf) {
    for (const { segments } of entries) {
      for (let from = 0; from < segments.length; from++) {
        pathKeys.add(segments[from] as string);
        for (let to = from + 2; to <= segments.length; to++) {
          dottedSpellings.add(segments.slice(from, to).join("."));
        }
      }
    }
  }
  /** Whether the event has a key with dots that spells (part of) a path some rule reads. */
  const spellsDottedPath = (value: unknown): boolean => {
    if (Array.isArray(value)) {
      for (const element of value) if (spellsDottedPath(element)) return true;
      return false;
    }
    if (typeof value !== "object" || value === null) return false;
    for (const key in value) {
      if (pathKeys.has(key)) {
        if (spellsDottedPath(readField(value as JsonObject, key))) return true;
      } else if (dottedSpellings.has(key)) {
        return true;
      }
      // any other key: no rule reads anything below it
    }
    return false;
  };

  // How many sub-rules name each (path, value): the cost of a condition as a transition.
  const frequency = new Map<string, number>();
  const bump = (key: string) => frequency.set(key, (frequency.get(key) ?? 0) + 1);
  const exactKey = (entry: LeafEntry, value: string) => `${entry.key}\u0000=${value}`;
  const prefixKey = (entry: LeafEntry, value: string) => `${entry.key}\u0000^${value}`;
  const presentKey = (entry: LeafEntry) => `${entry.key}\u0000?`;
  for (const entries of entriesOf) {
    for (const entry of entries) {
      if (entry.leaf.presenceOnly) bump(presentKey(entry));
      const index = entry.leaf.index;
      if (index === undefined) continue;
      for (const value of index.exact) bump(exactKey(entry, value));
      for (const value of index.prefixes) bump(prefixKey(entry, value));
    }
  }
  /** How many sub-rules share the condition's states: lower is more selective. */
  const cost = (entry: LeafEntry): number => {
    if (entry.leaf.presenceOnly) return frequency.get(presentKey(entry)) ?? 0;
    const index = entry.leaf.index as LeafIndex;
    let sum = 0;
    for (const value of index.exact) sum += frequency.get(exactKey(entry, value)) ?? 0;
    // a prefix costs a lookup per distinct length, and takes in more values
    for (const value of index.prefixes)
      sum += 2 * (frequency.get(prefixKey(entry, value)) ?? 0) + 1;
    return sum;
  };

  const states: State[] = [];
  const newState = (): State => {
    const state: State = {
      matches: [],
      evaluations: [],
      transitions: [],
      tests: [],
      visitedAt: 0,
    };
    states.push(state);
    return state;
  };
  const root = newState();
  const transitionsOf = (state: State, entry: LeafEntry): Transitions => {
    let found = state.transitions.find((t) => t.key === entry.key);
    if (found === undefined) {
      found = {
        key: entry.key,
        segments: entry.segments,
        exact: new Map(),
        prefixes: new Map(),
        prefixLengths: [],
        lookups: false,
        present: undefined,
      };
      state.transitions.push(found);
    }
    return found;
  };
  const child = (map: Map<string, State>, value: string): State => {
    let next = map.get(value);
    if (next === undefined) {
      next = newState();
      map.set(value, next);
    }
    return next;
  };
  /** The states that an event meeting the entry's condition reaches from `state`. */
  const step = (state: State, entry: LeafEntry): State[] => {
    const transitions = transitionsOf(state, entry);
    if (entry.leaf.presenceOnly) {
      transitions.present ??= newState();
      return [transitions.present];
    }
    const index = entry.leaf.index as LeafIndex;
    return [
      ...[...index.exact].map((value) => child(transitions.exact, value)),
      ...[...index.prefixes].map((value) => child(transitions.prefixes, value)),
    ];
  };
  // One matcher per distinct condition, shared by every state that tests it.
  const conditionTests = new Map<string, ObjectCheck>();
  /** The state that an event meeting the entry's condition (checked by its matcher) reaches. */
  const testStep = (state: State, entry: LeafEntry): State => {
    const key = `${entry.key}\u0000${JSON.stringify(entry.condition)}`;
    const existing = state.tests.find((t) => t.key === key);
    if (existing !== undefined) return existing.next;
    let test = conditionTests.get(key);
    if (test === undefined) {
      test = buildTree(new Map([[entry.key, entry]])).match;
      conditionTests.set(key, test);
    }
    const next = newState();
    state.tests.push({ key, test, next });
    return next;
  };
  const ways = (entry: LeafEntry): number =>
    entry.leaf.presenceOnly
      ? 1
      : (entry.leaf.index as LeafIndex).exact.size + (entry.leaf.index as LeafIndex).prefixes.size;

  const numeric: NumericIndex[] = [];
  const unindexed: number[] = [];
  let counted = 0;
  entriesOf.forEach((entries, id) => {
    // Lookups first (rarest first), then the conditions only a matcher decides; a wildcard
    // takes both: its literal start as a lookup, then its matcher.
    const looked = entries.filter((entry) => entry.leaf.presenceOnly || entry.leaf.index);
    const tested = entries
      .filter((entry) => !entry.leaf.presenceOnly && entry.leaf.index?.complete !== true)
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    if (
      independent(entries) &&
      looked.length > 0 &&
      looked.reduce((n, entry) => n * ways(entry), 1) <= MAX_WAYS
    ) {
      counted++;
      const order = looked
        .map((entry) => ({ entry, cost: cost(entry) }))
        .sort((a, b) => a.cost - b.cost || (a.entry.key < b.entry.key ? -1 : 1));
      let reached = [root];
      for (const { entry } of order) reached = reached.flatMap((state) => step(state, entry));
      for (const entry of tested) reached = reached.map((state) => testStep(state, entry));
      for (const state of reached) state.matches.push(id);
      return;
    }
    let best: LeafEntry | undefined;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const entry of entries) {
      if (entry.leaf.index === undefined) continue;
      const entryCost = cost(entry);
      if (entryCost < bestCost) {
        best = entry;
        bestCost = entryCost;
      }
    }
    if (best !== undefined) {
      for (const state of step(root, best)) state.evaluations.push(id);
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
    const by = narrowest;
    let path = numeric.find((index) => index.key === by.key);
    if (path === undefined) {
      path = { key: by.key, segments: by.segments, ranges: [] };
      numeric.push(path);
    }
    for (const [low, high] of narrowest.leaf.numericRanges ?? [])
      path.ranges.push({ low, high, id });
  });
  for (const index of numeric) index.ranges.sort((a, b) => a.low - b.low);
  for (const state of states) {
    for (const transitions of state.transitions) {
      const lengths = new Set([...transitions.prefixes.keys()].map((prefix) => prefix.length));
      transitions.prefixLengths = [...lengths].sort((a, b) => a - b);
      transitions.lookups = transitions.exact.size > 0 || transitions.prefixes.size > 0;
    }
  }

  // Per-event state, reset by bumping the stamp: marks so that a state is visited once, a
  // sub-rule evaluated once and a rule reported once.
  const evaluatedAt = new Uint32Array(matchers.length);
  const seenRule = new Uint32Array(rules.length);
  let stamp = 0;
  const matched: number[] = [];
  let object: JsonObject | undefined;

  const report = (id: number) => {
    const owner = owners[id] as number;
    if (seenRule[owner] === stamp) return;
    seenRule[owner] = stamp;
    matched.push(owner);
  };
  const evaluate = (id: number) => {
    if (evaluatedAt[id] === stamp) return;
    evaluatedAt[id] = stamp;
    if (seenRule[owners[id] as number] !== stamp && (matchers[id] as ObjectCheck)(object)) {
      report(id);
    }
  };
  const visit = (state: State) => {
    if (state.visitedAt === stamp) return;
    state.visitedAt = stamp;
    for (const id of state.matches) report(id);
    for (const id of state.evaluations) evaluate(id);
    for (const transitions of state.transitions) {
      if (transitions.lookups) forEachString(object, transitions, 0);
      if (transitions.present !== undefined && hasLeafAt(object, transitions.segments, 0)) {
        visit(transitions.present);
      }
    }
    for (const { test, next } of state.tests) {
      if (next.visitedAt !== stamp && test(object)) visit(next);
    }
  };
  /** Follows the transitions that a string value at their path meets. */
  const follow = (transitions: Transitions, value: string) => {
    const exact = transitions.exact.get(value);
    if (exact !== undefined) visit(exact);
    const lengths = transitions.prefixLengths;
    for (let i = 0; i < lengths.length; i++) {
      const length = lengths[i] as number;
      if (length > value.length) break;
      const next = transitions.prefixes.get(value.slice(0, length));
      if (next !== undefined) visit(next);
    }
  };
  /** follow() for every string leaf value at the transitions' path below `value`, through arrays. */
  const forEachString = (value: unknown, transitions: Transitions, from: number) => {
    if (Array.isArray(value)) {
      for (const element of value) forEachString(element, transitions, from);
      return;
    }
    if (from === transitions.segments.length) {
      if (typeof value === "string") follow(transitions, value);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const next = readField(value as JsonObject, transitions.segments[from] as string);
    forEachString(next, transitions, from + 1);
  };

  /** Evaluates the sub-rules whose numeric range holds a number at the index's path. */
  const forEachNumber = (value: unknown, index: NumericIndex, from: number) => {
    if (Array.isArray(value)) {
      for (const element of value) forEachNumber(element, index, from);
      return;
    }
    if (from === index.segments.length) {
      if (typeof value !== "number") return;
      const ranges = index.ranges;
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
      if (parsed !== undefined && spellsDottedPath(parsed)) {
        // Rare: keys with dots spell a path that rules read; every rule reads them itself.
        return names.filter((_, i) => (dottedRules[i] as ObjectCheck)(parsed));
      }
      object = parsed;
      stamp = stamp === 0xffffffff ? 1 : stamp + 1;
      if (stamp === 1) {
        evaluatedAt.fill(0);
        seenRule.fill(0);
        for (const state of states) state.visitedAt = 0;
      }
      matched.length = 0;
      visit(root);
      for (const index of numeric) forEachNumber(object, index, 0);
      for (const id of unindexed) evaluate(id);
      const found: Name[] = [];
      for (const owner of sortSmall(matched)) found.push(names[owner] as Name);
      object = undefined;
      return found;
    },
  };
}

/** Sub-rules indexed by a numeric range on one field path, sorted by the range's low end. */
interface NumericIndex {
  readonly key: string;
  readonly segments: readonly string[];
  readonly ranges: { low: number; high: number; id: number }[];
}

/**
 * Whether the sub-rule's conditions can be checked one by one: on fields with no common parent
 * object, no array element must hold two of them at once (array consistency is then no
 * constraint), and the sub-rule's matcher is the conjunction of each condition's own.
 */
function independent(entries: readonly LeafEntry[]): boolean {
  const parents = new Set<string>();
  for (const entry of entries) {
    const top = entry.segments[0] as string;
    if (parents.has(top)) return false;
    parents.add(top);
  }
  return true;
}

/** Sorts in place; insertion sort for the few rules an event usually matches. */
function sortSmall(list: number[]): number[] {
  if (list.length > 16) return list.sort((a, b) => a - b);
  for (let i = 1; i < list.length; i++) {
    const item = list[i] as number;
    let j = i - 1;
    while (j >= 0 && (list[j] as number) > item) {
      list[j + 1] = list[j] as number;
      j--;
    }
    list[j + 1] = item;
  }
  return list;
}
