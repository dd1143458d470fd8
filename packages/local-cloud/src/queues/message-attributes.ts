import { QueueError } from "./queue-error.js";

/** A message attribute as SQS stores it; binary values are bytes here (base64 only on the wire). */
export interface MessageAttributeValue {
  /** "String", "Number" or "Binary", optionally with a custom suffix ("String.uuid"). */
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

const MAX_ATTRIBUTES = 10;
const MAX_NAME_LENGTH = 256;
const MAX_DATA_TYPE_LENGTH = 256;
const NAME_CHARACTERS = /^[A-Za-z0-9_.-]+$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[^\s]+)?$/;

/** The base type ("String", "Number", "Binary") of a data type such as "Number.float". */
export function baseType(dataType: string): "String" | "Number" | "Binary" {
  return dataType.split(".", 1)[0] as "String" | "Number" | "Binary";
}

/** Refuses attributes SQS would refuse: too many, bad names, unknown types, missing values. */
export function validateMessageAttributes(attributes: MessageAttributes): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) {
    throw new QueueError(
      "InvalidParameterValue",
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  for (const name of names) {
    validateName(name);
    validateValue(name, attributes[name] as MessageAttributeValue);
  }
}

function validateName(name: string): void {
  const problem =
    name.length === 0
      ? "it is empty"
      : name.length > MAX_NAME_LENGTH
        ? `it is longer than ${MAX_NAME_LENGTH} characters`
        : !NAME_CHARACTERS.test(name)
          ? "it may contain only letters, digits, '_', '-' and '.'"
          : name.startsWith(".") || name.endsWith(".") || name.includes("..")
            ? "it may not start or end with '.', nor contain '..'"
            : /^(aws\.|amazon\.)/i.test(name)
              ? "the prefixes 'AWS.' and 'Amazon.' are reserved"
              : undefined;
  if (problem) {
    throw new QueueError(
      "InvalidParameterValue",
      `Message attribute name '${name}' is invalid: ${problem}.`,
    );
  }
}

function validateValue(name: string, value: MessageAttributeValue): void {
  const { DataType: dataType } = value;
  if (!dataType) {
    throw new QueueError(
      "InvalidParameterValue",
      `The message attribute '${name}' must contain non-empty message attribute type.`,
    );
  }
  if (dataType.length > MAX_DATA_TYPE_LENGTH || !DATA_TYPE.test(dataType)) {
    throw new QueueError(
      "InvalidParameterValue",
      `The type of message (user) attribute '${name}' is invalid: '${dataType}'. Expected String, Number or Binary, optionally followed by '.' and a custom label.`,
    );
  }
  const type = baseType(dataType);
  if (type === "Binary") {
    if (!value.BinaryValue || value.BinaryValue.length === 0) {
      throw new QueueError(
        "InvalidParameterValue",
        `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`,
      );
    }
    return;
  }
  if (value.StringValue === undefined || value.StringValue.length === 0) {
    throw new QueueError(
      "InvalidParameterValue",
      `The message attribute '${name}' with type '${type}' must use field 'String'.`,
    );
  }
  if (type === "Number" && !Number.isFinite(Number(value.StringValue))) {
    throw new QueueError(
      "InvalidParameterValue",
      `Can't cast the value of message (user) attribute '${name}' to a number: '${value.StringValue}'.`,
    );
  }
}

/** A message's size as SQS limits it: the body's bytes plus its attributes'. */
export function messageSize(body: string, attributes: MessageAttributes): number {
  return Buffer.byteLength(body) + attributesSize(attributes);
}

/** Bytes attributes add to a message's size: SQS counts name, type and value. */
function attributesSize(attributes: MessageAttributes): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    size +=
      value.BinaryValue !== undefined
        ? value.BinaryValue.length
        : Buffer.byteLength(value.StringValue ?? "");
  }
  return size;
}

/**
 * The attributes a receive asks for: "All" or ".*" for every one, "prefix.*" for a family,
 * otherwise exact names.
 */
export function selectAttributes(
  attributes: MessageAttributes,
  requested: readonly string[],
): MessageAttributes {
  const selected: MessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = requested.some(
      (pattern) =>
        pattern === "All" ||
        pattern === ".*" ||
        pattern === name ||
        (pattern.endsWith(".*") && name.startsWith(pattern.slice(0, -1))),
    );
    if (wanted) selected[name] = value;
  }
  return selected;
}
