// A pattern given as JSON text keeps the text of its numbers: JSON.parse rounds `1E-325` to 0
// and `5000000000.0000001` to 5e9, and the numeric limits apply to the number as written.

import { fail } from "./errors.js";

/** The JSON text of each number, by the object or array holding it and its key there. */
export type WrittenNumbers = WeakMap<object, Map<string, string>>;

interface ReviverContext {
  source?: string;
}

/** Parses pattern text; throws InvalidEventPatternError when it is not JSON. */
export function parsePatternText(text: string): { value: unknown; written: WrittenNumbers } {
  const written: WrittenNumbers = new WeakMap();
  const reviver = function (this: object, key: string, value: unknown, context?: ReviverContext) {
    if (typeof value === "number" && context?.source !== undefined) {
      let byKey = written.get(this);
      if (byKey === undefined) {
        byKey = new Map();
        written.set(this, byKey);
      }
      byKey.set(key, context.source);
    }
    return value;
  };
  try {
    return {
      value: JSON.parse(text, reviver as (key: string, value: unknown) => unknown),
      written,
    };
  } catch (error) {
    fail(`Pattern is not valid JSON: ${(error as Error).message}`, "");
  }
}

/** The text of the number at `holder[key]`, when the pattern came as text. */
export function writtenForm(
  written: WrittenNumbers | undefined,
  holder: object,
  key: string | number,
): string | undefined {
  return written?.get(holder)?.get(String(key));
}
