import { UsageError } from "./usage-error.js";

/**
 * A whole number from 1 to `max` given as a flag or an environment variable, named as the
 * user wrote it (`--port`, `$PORT`) when it is anything else: "1e3", " 80" and "0x50" included.
 */
export function integerOption(
  name: string,
  value: string | undefined,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > max) {
    throw new UsageError(
      `${name} is ${JSON.stringify(value)}; allowed: an integer from 1 to ${max}`,
    );
  }
  return number;
}
