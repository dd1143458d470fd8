import type { JsonObject } from "./json-input.js";
import { queryRequestError } from "./query-xml.js";

/**
 * A member of a Query-protocol request, in the flattened form SQS's model gives it:
 * - "string", "integer": `Name=value`
 * - list: `Item.1=a&Item.2=b` (the item's element name)
 * - map: `Entry.1.Name=k&Entry.1.Value=v`, or `Entry.1.Value.<member>=…` for object values
 * - entries: `Entry.1.<member>=…`, a list of structures
 */
export type QueryMember =
  | "string"
  | "integer"
  | { list: string }
  | { map: string; value: "string" | QueryShape }
  | { entries: string; shape: QueryShape };

/** An operation's input: JSON member name -> how the Query protocol sends it. */
export type QueryShape = Readonly<Record<string, QueryMember>>;

/** The parameters, split on "." into a tree: `A.1.Name` is node A, child 1, child Name. */
interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

/**
 * Reads form parameters into the JSON input the operation takes over the JSON protocol, so
 * one implementation answers both. Parameters the shape does not name are ignored.
 */
export function readQueryInput(params: URLSearchParams, shape: QueryShape): JsonObject {
  const root: ParamNode = {};
  for (const [key, value] of params) {
    let node = root;
    for (const segment of key.split(".")) {
      node.children ??= new Map();
      let child = node.children.get(segment);
      if (!child) {
        child = {};
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value = value;
  }
  return readStructure(root, shape, "");
}

function readStructure(node: ParamNode, shape: QueryShape, prefix: string): JsonObject {
  const input: JsonObject = {};
  for (const [member, type] of Object.entries(shape)) {
    const value = readMember(node, member, type, prefix);
    if (value !== undefined) input[member] = value;
  }
  return input;
}

function readMember(node: ParamNode, member: string, type: QueryMember, prefix: string): unknown {
  if (type === "string" || type === "integer") {
    const value = node.children?.get(member)?.value;
    return type === "integer" && value !== undefined
      ? readInteger(value, `${prefix}${member}`)
      : value;
  }
  if ("list" in type) {
    return indexed(node, type.list).map(([, item]) => item.value ?? "");
  }
  if ("entries" in type) {
    return indexed(node, type.entries).map(([index, entry]) =>
      readStructure(entry, type.shape, `${prefix}${type.entries}.${index}.`),
    );
  }
  const entries = indexed(node, type.map);
  if (entries.length === 0) return undefined;
  const map: JsonObject = {};
  for (const [index, entry] of entries) {
    const at = `${prefix}${type.map}.${index}`;
    const name = entry.children?.get("Name")?.value;
    if (name === undefined) {
      throw queryRequestError(
        "MissingParameter",
        `The request must contain the parameter ${at}.Name.`,
      );
    }
    const value = entry.children?.get("Value") ?? {};
    map[name] =
      type.value === "string"
        ? (value.value ?? "")
        : readStructure(value, type.value, `${at}.Value.`);
  }
  return map;
}

/** The children `Name.1`, `Name.2`, ... of a node, in index order. */
function indexed(node: ParamNode, name: string): [number, ParamNode][] {
  const items: [number, ParamNode][] = [];
  for (const [key, child] of node.children?.get(name)?.children ?? []) {
    if (/^[1-9][0-9]{0,5}$/.test(key)) items.push([Number(key), child]);
  }
  return items.sort(([a], [b]) => a - b);
}

function readInteger(text: string, parameter: string): number {
  if (!/^-?[0-9]{1,15}$/.test(text)) {
    throw queryRequestError(
      "InvalidParameterValue",
      `Value ${text} for parameter ${parameter} is invalid. Reason: must be an integer.`,
    );
  }
  return Number(text);
}
