/**
 * No AWS JSON request of ours needs more values than this: the biggest, a SendMessageBatch of
 * 10 entries with 10 attributes each, has a few hundred. JSON.parse spends about 20 ms per
 * 100,000 values (and much more once the garbage collector joins in), so the cap keeps any one
 * request's parse to a few milliseconds.
 */
export const MAX_JSON_VALUES = 20_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;

/**
 * Whether a JSON text holds more than `max` values (counting objects, arrays and the commas
 * between members and items), found by a scan of its bytes that stops at the first one over:
 * a body of a million tiny entries is refused before JSON.parse builds any of them.
 */
export function hasMoreJsonValues(body: Uint8Array, max: number): boolean {
  let count = 0;
  let inString = false;
  for (let at = 0; at < body.length; at++) {
    const byte = body[at];
    if (inString) {
      if (byte === BACKSLASH) at++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET || byte === COMMA) {
      if (++count > max) return true;
    }
  }
  return false;
}
