/**
 * No AWS JSON request of ours needs more values than this: the biggest, a SendMessageBatch of
 * 10 entries with 10 attributes each, has a few hundred. JSON.parse spends about 20 ms per
 * 100,000 values (and much more once the garbage collector joins in), so the cap keeps any one
 * request's parse to a few milliseconds.
 */
export const MAX_REQUEST_VALUES = 20_000;

/**
 * Nor does any request nest deeper than a few levels. Deeply nested input can overflow the
 * stack of whatever walks it recursively (JSON.stringify quoting a wrong member, for one).
 */
export const MAX_REQUEST_DEPTH = 32;

export interface JsonExtent {
  /** Objects, arrays and the commas between their members and items: about the values held. */
  values: number;
  /** The deepest nesting of objects and arrays: {} is 1, {"a":[]} is 2. */
  depth: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * How many values a JSON text holds and how deep it nests, found by one scan of its bytes
 * (no parse, no recursion) that stops as soon as either is over its limit: a body of a million
 * tiny entries is refused before JSON.parse builds any of them.
 */
export function measureJson(
  bytes: Uint8Array,
  maxValues = Number.POSITIVE_INFINITY,
  maxDepth = Number.POSITIVE_INFINITY,
): JsonExtent {
  let values = 0;
  let nesting = 0;
  let depth = 0;
  const length = bytes.length;
  for (let at = 0; at < length; at++) {
    const byte = bytes[at];
    if (byte === QUOTE) {
      // Through the string in a loop of its own: most of a big body is strings.
      for (at++; at < length; at++) {
        const inner = bytes[at];
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) at++;
      }
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      values++;
      nesting++;
      if (nesting > depth) depth = nesting;
      if (values > maxValues || depth > maxDepth) break;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      nesting--;
    } else if (byte === COMMA) {
      if (++values > maxValues) break;
    }
  }
  return { values, depth };
}
