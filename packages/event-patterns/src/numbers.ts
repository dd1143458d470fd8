// Numbers in numeric expressions and anything-but lists: EventBridge documents numeric matching
// for values between -5.0e9 and +5.0e9 inclusive, with six digits right of the decimal point.

import { fail } from "./errors.js";

export const NUMERIC_LIMIT = 5e9;
export const MAX_DECIMALS = 6;

/** How many digits `n` has right of the decimal point once trailing zeros are dropped. */
export function decimalPlaces(n: number): number {
  const text = String(Math.abs(n));
  const e = text.indexOf("e");
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, fraction - exponent);
}

/** Refuses numbers that event-ruler cannot turn into its comparable form. */
export function checkComparable(n: number, path: string): number {
  if (!Number.isFinite(n)) fail("Numbers must be finite", path, n);
  if (n < -NUMERIC_LIMIT || n > NUMERIC_LIMIT) {
    fail("Value must be between -5.0E9 and 5.0E9, inclusive", path, n);
  }
  if (decimalPlaces(n) > MAX_DECIMALS) fail("Only values upto 6 decimals are supported", path, n);
  return n;
}

/** Event values take part in numeric comparisons only inside the documented range. */
export function isComparable(value: unknown): value is number {
  return typeof value === "number" && value >= -NUMERIC_LIMIT && value <= NUMERIC_LIMIT;
}
