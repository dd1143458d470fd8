import { createHash } from "node:crypto";
import { baseType, type MessageAttributes } from "./message-attributes.js";

/** MD5OfMessageBody / MD5OfBody: the hex MD5 of the body's UTF-8 bytes (SDKs check it). */
export function md5OfBody(body: string): string {
  return createHash("md5").update(body, "utf8").digest("hex");
}

// Transport types in SQS's attribute digest: string-valued vs binary-valued.
const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;

/**
 * MD5OfMessageAttributes, as SQS computes it: attributes sorted by name, each encoded as
 * name, data type (both length-prefixed UTF-8), a transport-type byte, then the length-prefixed
 * value; lengths are 4-byte big-endian. Undefined when there are no attributes (SQS then sends none).
 */
export function md5OfMessageAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash("md5");
  for (const name of names) {
    const value = attributes[name];
    if (!value) continue;
    hash.update(lengthPrefixed(Buffer.from(name, "utf8")));
    hash.update(lengthPrefixed(Buffer.from(value.DataType, "utf8")));
    if (baseType(value.DataType) === "Binary") {
      hash.update(Buffer.of(BINARY_TRANSPORT));
      hash.update(lengthPrefixed(Buffer.from(value.BinaryValue ?? new Uint8Array())));
    } else {
      hash.update(Buffer.of(STRING_TRANSPORT));
      hash.update(lengthPrefixed(Buffer.from(value.StringValue ?? "", "utf8")));
    }
  }
  return hash.digest("hex");
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
