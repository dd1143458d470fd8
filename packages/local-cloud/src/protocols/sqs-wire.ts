import type { MessageAttributes, MessageAttributeValue, ReceivedMessage } from "../queues/index.js";
import { serializationError } from "./aws-error.js";
import { isJsonObject, type JsonObject, readObject, readString } from "./json-input.js";

/** Message attributes from a request: JSON carries binary values as base64. */
export function readMessageAttributes(input: JsonObject, path: string): MessageAttributes {
  const raw = readObject(input, "MessageAttributes", path);
  const attributes: MessageAttributes = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const at = `${path}.${name}`;
    if (!isJsonObject(value)) throw serializationError(`${at} must be an object`);
    const attribute: MessageAttributeValue = {
      DataType: readString(value, "DataType", `${at}.DataType`) ?? "",
    };
    const stringValue = readString(value, "StringValue", `${at}.StringValue`);
    if (stringValue !== undefined) attribute.StringValue = stringValue;
    const binaryValue = readString(value, "BinaryValue", `${at}.BinaryValue`);
    if (binaryValue !== undefined)
      attribute.BinaryValue = decodeBase64(binaryValue, `${at}.BinaryValue`);
    attributes[name] = attribute;
  }
  return attributes;
}

/** A received message as JSON: binary attribute values back to base64. */
export function writeReceivedMessage(message: ReceivedMessage): JsonObject {
  const { MessageAttributes: attributes, ...rest } = message;
  if (!attributes) return rest;
  const wire: Record<string, JsonObject> = {};
  for (const [name, value] of Object.entries(attributes)) {
    wire[name] =
      value.BinaryValue !== undefined
        ? {
            DataType: value.DataType,
            BinaryValue: Buffer.from(value.BinaryValue).toString("base64"),
          }
        : { DataType: value.DataType, StringValue: value.StringValue };
  }
  return { ...rest, MessageAttributes: wire };
}

function decodeBase64(text: string, path: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw serializationError(`${path} must be base64, not ${JSON.stringify(text.slice(0, 40))}`);
  }
  return Buffer.from(text, "base64");
}
