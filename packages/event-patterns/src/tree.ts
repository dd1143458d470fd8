// A sub-rule as a tree of checks over the event's nesting, compiled into closures: matching
// does no parsing, no lookups by name beyond the event's own keys, and no allocation.

import { isObject, type JsonObject } from "./leaf.js";
import type { LeafEntry, SubRule } from "./sub-rules.js";

export type ObjectCheck = (object: JsonObject | undefined) => boolean;
type Read = (object: JsonObject | undefined) => unknown;

/** One condition of an object node, on one of the object's fields. */
type Check =
  /** The field's leaf values against the entry's condition. */
  | { kind: "leaf"; field: string; read: Read; entry: LeafEntry }
  /** A nested pattern object; over an array, one element must satisfy all of it. */
  | { kind: "nested"; field: string; read: Read; node: ObjectNode }
  /** `exists: false` for `rest` below the field, checked across every array element. */
  | { kind: "absent"; field: string; read: Read; rest: readonly string[]; entry: LeafEntry };

export interface ObjectNode {
  /** In evaluation order: cheap and selective checks first. */
  readonly checks: readonly Check[];
  /** For events without keys with dots that spell one of the node's paths. */
  readonly match: ObjectCheck;
  /** For any event: also reads keys with dots as the nesting they name, as event-ruler does. */
  readonly matchDotted: ObjectCheck;
  /** The event keys with dots that name one of the node's paths (see undotted). */
  readonly dottedNames: readonly string[];
}

interface Draft {
  children: Map<string, Draft>;
  checks: ({ kind: "leaf"; field: string; entry: LeafEntry } | AbsentDraft)[];
}
interface AbsentDraft {
  kind: "absent";
  field: string;
  rest: string[];
  entry: LeafEntry;
}

/**
 * Builds a sub-rule's tree. Array consistency (event-ruler's): a nested pattern object over an
 * array of objects is matched within one element. `exists: false` follows event-ruler's walk,
 * which visits fields in path order: a field is absent when no value at its path is consistent
 * with the array elements that the fields visited before it have matched. So below an array
 * that no earlier positive field of the sub-rule pins to one element, the field must be absent
 * from every element; below a pinned one, from the element the earlier fields matched.
 */
export function buildTree(rule: SubRule): ObjectNode {
  const keys = [...rule.keys()].sort(); // UTF-16 order, as Java's String.compareTo
  const positives = keys.filter((key) => !(rule.get(key) as LeafEntry).leaf.absenceOnly);
  const root: Draft = { children: new Map(), checks: [] };
  for (const key of keys) {
    const entry = rule.get(key) as LeafEntry;
    const segments = entry.segments;
    let depth = segments.length - 1;
    let rest: string[] | undefined;
    if (entry.leaf.absenceOnly) {
      for (let j = 1; j < segments.length; j++) {
        const below = `${segments.slice(0, j).join(".")}.`;
        if (!positives.some((other) => other < key && other.startsWith(below))) {
          depth = j - 1;
          rest = segments.slice(j);
          break;
        }
      }
    }
    let draft = root;
    for (let d = 0; d < depth; d++) {
      const segment = segments[d] as string;
      let child = draft.children.get(segment);
      if (child === undefined) {
        child = { children: new Map(), checks: [] };
        draft.children.set(segment, child);
      }
      draft = child;
    }
    const field = segments[depth] as string;
    draft.checks.push(
      rest === undefined ? { kind: "leaf", field, entry } : { kind: "absent", field, rest, entry },
    );
  }
  return finish(root);
}

function finish(draft: Draft): ObjectNode {
  const checks: { check: Check; cost: number; test: ObjectCheck; dotted: ObjectCheck }[] = [];
  for (const item of draft.checks) {
    const read = reader(item.field);
    if (item.kind === "leaf") {
      const test = item.entry.leaf.test;
      const check: ObjectCheck = (object) => test(read(object));
      checks.push({
        check: { ...item, read },
        cost: item.entry.leaf.cost,
        test: check,
        dotted: check,
      });
    } else {
      const rest = item.rest;
      const check: ObjectCheck = (object) => !hasLeafAt(read(object), rest, 0);
      checks.push({ check: { ...item, read }, cost: 1, test: check, dotted: check });
    }
  }
  for (const [field, child] of draft.children) {
    const node = finish(child);
    const read = reader(field);
    checks.push({
      check: { kind: "nested", field, read, node },
      cost: 2,
      test: (object) => matchNested(node, read(object), false),
      dotted: (object) => matchNested(node, read(object), true),
    });
  }
  checks.sort((a, b) => a.cost - b.cost);
  const match = allOf(checks.map((c) => c.test));
  const dottedMatch = allOf(checks.map((c) => c.dotted));
  const names = dottedNames(draft);
  return {
    checks: checks.map((c) => c.check),
    match,
    matchDotted:
      names.length === 0 ? dottedMatch : (object) => dottedMatch(undotted(object, names)),
    dottedNames: names,
  };
}

/** Every path below the draft, relative to it, as lists of keys. */
function relativePaths(draft: Draft): string[][] {
  const paths: string[][] = [];
  for (const item of draft.checks) {
    paths.push(item.kind === "leaf" ? [item.field] : [item.field, ...item.rest]);
  }
  for (const [field, child] of draft.children) {
    for (const path of relativePaths(child)) paths.push([field, ...path]);
  }
  return paths;
}

/** The event keys with dots that event-ruler would read as one of the draft's paths. */
function dottedNames(draft: Draft): string[] {
  const names = new Set<string>();
  for (const path of relativePaths(draft)) {
    for (let length = 2; length <= path.length; length++) {
      names.add(path.slice(0, length).join("."));
    }
  }
  return [...names];
}

/**
 * event-ruler names an event field by its keys joined with dots, so `{"c.count": 5}` is the
 * field `c.count` as `{"c": {"count": 5}}` is. An object holding such a key is read as a copy
 * with the value moved to its nested place (the event itself is left untouched).
 */
export function undotted(
  object: JsonObject | undefined,
  names: readonly string[],
): JsonObject | undefined {
  if (object === undefined) return undefined;
  let copy: JsonObject | undefined;
  let fresh: Set<object> | undefined;
  for (const name of names) {
    const value = readField(object, name);
    if (value === undefined) continue;
    copy ??= { ...object };
    fresh ??= new Set([copy]);
    const keys = name.split(".");
    let holder = copy;
    let placed = true;
    for (let i = 0; i < keys.length - 1 && placed; i++) {
      const key = keys[i] as string;
      const next = readField(holder, key);
      if (next === undefined || (isObject(next) && !fresh.has(next))) {
        const child: JsonObject = next === undefined ? {} : { ...next };
        fresh.add(child);
        define(holder, key, child);
        holder = child;
      } else if (isObject(next)) {
        holder = next;
      } else {
        placed = false; // an array or a leaf is in the way: the dotted key stays as it is
      }
    }
    const last = keys[keys.length - 1] as string;
    if (placed && readField(holder, last) === undefined) {
      define(holder, last, value);
      delete copy[name];
    }
  }
  return copy ?? object;
}

/** Sets an own data property, "__proto__" included. */
function define(object: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function allOf(tests: ObjectCheck[]): ObjectCheck {
  if (tests.length === 1) return tests[0] as ObjectCheck;
  if (tests.length === 2) {
    const [a, b] = tests as [ObjectCheck, ObjectCheck];
    return (object) => a(object) && b(object);
  }
  return (object) => {
    for (const test of tests) if (!test(object)) return false;
    return true;
  };
}

/** A nested node against an event value: over an array, some element (at any depth) must match. */
function matchNested(node: ObjectNode, value: unknown, dotted: boolean): boolean {
  const match = dotted ? node.matchDotted : node.match;
  if (!Array.isArray(value)) return match(isObject(value) ? value : undefined);
  if (value.length === 0) return match(undefined);
  for (const element of value) if (matchNested(node, element, dotted)) return true;
  return false;
}

/** Whether some leaf value (not an object) sits at `path[from..]` below `value`, through arrays. */
export function hasLeafAt(value: unknown, path: readonly string[], from: number): boolean {
  if (Array.isArray(value)) {
    for (const element of value) if (hasLeafAt(element, path, from)) return true;
    return false;
  }
  if (from === path.length) return value !== undefined && !isObject(value);
  if (!isObject(value)) return false;
  // The next keys may also be written as one key with dots, as event-ruler reads events.
  let name = path[from] as string;
  if (hasLeafAt(readField(value, name), path, from + 1)) return true;
  for (let to = from + 1; to < path.length; to++) {
    name = `${name}.${path[to]}`;
    if (hasLeafAt(readField(value, name), path, to + 1)) return true;
  }
  return false;
}

/** An event object's own field; inherited members are functions, never JSON values. */
export function readField(object: JsonObject, key: string): unknown {
  if (key === "__proto__") return Object.getOwnPropertyDescriptor(object, key)?.value;
  const value = object[key];
  return typeof value === "function" ? undefined : value;
}

function reader(key: string): Read {
  if (key === "__proto__") {
    return (object) =>
      object === undefined ? undefined : Object.getOwnPropertyDescriptor(object, key)?.value;
  }
  return (object) => {
    if (object === undefined) return undefined;
    const value = object[key];
    return typeof value === "function" ? undefined : value;
  };
}
