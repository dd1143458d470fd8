// Numbers in numeric expressions and anything-but lists: EventBridge documents numeric matching
// for values between -5.0e9 and +5.0e9 inclusive, with six digits right of the decimal point.
// Where the pattern came as JSON text, the limits are checked on the number as written, so
// `1E-325` (which JSON.parse turns into 0) is refused for its 325 decimals.

import { fail } from "./errors.js";

const NUMERIC_LIMIT = 5e9;
const MAX_DECIMALS = 6;

const NUMBER_TEXT = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** How many digits a number written as `text` has right of the decimal point, trailing zeros dropped. */
function decimalPlaces(text: string): number {
  const m = NUMBER_TEXT.exec(text);
  if (m === null) return 0;
  const fraction = m[2] ?? "";
  let digits = `${m[1]}${fraction}`.replace(/^0+/, "");
  let scale = fraction.length - Number(m[3] ?? 0);
  while (digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    scale--;
  }
  return digits === "" ? 0 : Math.max(0, scale);
}

/**
 * Refuses numbers that event-ruler cannot turn into its comparable form. `written` is the
 * number's JSON text when the pattern came as text; otherwise the double's shortest spelling.
 */
export function checkComparable(n: number, path: string, written?: string): number {
  const shown = written ?? n;
  if (!Number.isFinite(n)) fail("Numbers must be finite", path, shown);
  if (n < -NUMERIC_LIMIT || n > NUMERIC_LIMIT) {
    fail("Value must be between -5.0E9 and 5.0E9, inclusive", path, shown);
  }
  if (decimalPlaces(written ?? String(Math.abs(n))) > MAX_DECIMALS) {
    fail("Only values upto 6 decimals are supported", path, shown);
  }
  return n;
}

/** Event values take part in numeric comparisons only inside the documented range. */
export function isComparable(value: unknown): value is number {
  return typeof value === "number" && value >= -NUMERIC_LIMIT && value <= NUMERIC_LIMIT;
}
