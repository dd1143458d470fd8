import { AwsError } from "./aws-error.js";
import { isJsonObject, type JsonObject } from "./json-input.js";

/**
 * How a JSON output is written as Query-protocol XML. SQS's model flattens its lists and
 * maps: each list item is an element of its own, and each map entry an element holding
 * <Name> and <Value>.
 */
export interface XmlNames {
  /** JSON list member -> the name of each item's element (QueueUrls -> QueueUrl). */
  lists?: Readonly<Record<string, string>>;
  /** JSON map member -> the name of each entry's element (Attributes -> Attribute). */
  maps?: Readonly<Record<string, string>>;
}

/**
 * `<{operation}Response>`, holding `<{operation}Result>` when the operation has an output, then
 * the request id, as Query services answer.
 */
export function queryResponseXml(
  namespace: string,
  operation: string,
  output: JsonObject | undefined,
  names: XmlNames,
  requestId: string,
): string {
  const result =
    output === undefined
      ? ""
      : `<${operation}Result>${writeMembers(output, names)}</${operation}Result>`;
  return `<?xml version="1.0"?><${operation}Response xmlns="${namespace}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}

/** `<ErrorResponse>`: Sender or Receiver, the Query error code, the message. */
export function queryErrorXml(namespace: string, error: AwsError, requestId: string): string {
  const type = error.statusCode >= 500 ? "Receiver" : "Sender";
  return `<?xml version="1.0"?><ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(queryErrorCode(error))}</Code><Message>${escapeXml(error.message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

/** The code a Query client sees: the Query code when the error has one, else its type's name. */
function queryErrorCode(error: AwsError): string {
  return error.queryErrorCode ?? error.type.slice(error.type.indexOf("#") + 1);
}

/** A refusal before any operation runs (no Action, a malformed parameter). */
export function queryRequestError(code: string, message: string): AwsError {
  return new AwsError(code, message, 400, code);
}

function writeMembers(object: JsonObject, names: XmlNames): string {
  let xml = "";
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || value === null) continue;
    const mapElement = lookup(names.maps, key);
    if (Array.isArray(value)) {
      const itemElement = lookup(names.lists, key) ?? key;
      for (const item of value) xml += writeElement(itemElement, item, names);
    } else if (mapElement && isJsonObject(value)) {
      for (const [name, entry] of Object.entries(value)) {
        xml += `<${mapElement}><Name>${escapeXml(name)}</Name>${writeElement("Value", entry, names)}</${mapElement}>`;
      }
    } else {
      xml += writeElement(key, value, names);
    }
  }
  return xml;
}

function writeElement(name: string, value: unknown, names: XmlNames): string {
  const content = isJsonObject(value) ? writeMembers(value, names) : escapeXml(String(value));
  return `<${name}>${content}</${name}>`;
}

function lookup(table: Readonly<Record<string, string>> | undefined, key: string) {
  return table && Object.hasOwn(table, key) ? table[key] : undefined;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the characters XML 1.0 cannot carry is the point
const XML_SPECIAL = /[&<>"'\r]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // A literal CR would reach the reader as LF (XML normalizes line ends), changing the body
  // the client checks MD5OfBody against.
  "\r": "&#xD;",
};

/**
 * Text as XML character data. Characters XML 1.0 cannot carry at all (SQS refuses them in
 * bodies and attribute values; they can only come from an error message quoting input)
 * become U+FFFD.
 */
function escapeXml(text: string): string {
  return text.replace(XML_SPECIAL, (char) => ESCAPES[char] ?? "\uFFFD");
}
