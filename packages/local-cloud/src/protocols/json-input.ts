import { serializationError } from "./aws-error.js";

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Readers for request members. A member of the wrong JSON type is what AWS JSON services
 * answer with SerializationException; an absent (or null) member reads as undefined.
 */
export function readString(input: JsonObject, member: string, path = member): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw wrongType(path, "a string", value);
  return value;
}

export function readInteger(input: JsonObject, member: string, path = member): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw wrongType(path, "an integer", value);
  }
  return value;
}

export function readNumber(input: JsonObject, member: string, path = member): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw wrongType(path, "a number", value);
  return value;
}

export function readList(input: JsonObject, member: string, path = member): unknown[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(path, "a list", value);
  return value;
}

export function readStringList(
  input: JsonObject,
  member: string,
  path = member,
): string[] | undefined {
  const list = readList(input, member, path);
  return list?.map((item, index) => {
    if (typeof item !== "string") throw wrongType(`${path}[${index}]`, "a string", item);
    return item;
  });
}

export function readObject(
  input: JsonObject,
  member: string,
  path = member,
): JsonObject | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw wrongType(path, "an object", value);
  return value;
}

/** A list of objects (batch entries and the like). */
export function readObjectList(
  input: JsonObject,
  member: string,
  path = member,
): JsonObject[] | undefined {
  const list = readList(input, member, path);
  return list?.map((item, index) => {
    if (!isJsonObject(item)) throw wrongType(`${path}[${index}]`, "an object", item);
    return item;
  });
}

function wrongType(path: string, expected: string, value: unknown) {
  const shown = JSON.stringify(value) ?? String(value);
  const brief = shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
  return serializationError(`${path} must be ${expected}, not ${brief}`);
}
