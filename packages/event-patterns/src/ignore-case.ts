// equals-ignore-case as event-ruler reads it: every character of the pattern may be spelled, in
// the event, as its own lower-case or upper-case mapping (Java's String mappings, which are
// JavaScript's too), so "ς" matches "Σ", "ﬀ" matches "FF" and "ß" matches "SS". The character
// as written matches as well (event-ruler forgets it for titlecase letters such as "ǅ" and for
// characters outside the BMP: the README lists both as known differences).

/** The spellings the event may use for each character (code point) of the pattern. */
function spellings(pattern: string): string[][] {
  const result: string[][] = [];
  for (const character of pattern) {
    result.push([...new Set([character, character.toLowerCase(), character.toUpperCase()])]);
  }
  return result;
}

/*
 * No spelling of a character is a prefix (or suffix) of another spelling of the same character
 * (test/ignore-case.test.ts checks every code point), so at each position at most one spelling
 * fits: the scan below is deterministic and linear in the length of the event's string.
 */

/** Where the spellings, read forwards from `start`, end; -1 when the text does not fit. */
function forwards(text: string, chars: string[][], start: number): number {
  let at = start;
  for (const options of chars) {
    let next = -1;
    for (const option of options) {
      if (text.startsWith(option, at)) {
        next = at + option.length;
        break;
      }
    }
    if (next < 0) return -1;
    at = next;
  }
  return at;
}

/** Where the spellings, read backwards from `end`, start; -1 when the text does not fit. */
function backwards(text: string, chars: string[][], end: number): number {
  let at = end;
  for (let i = chars.length - 1; i >= 0; i--) {
    let next = -1;
    for (const option of chars[i] as string[]) {
      if (at >= option.length && text.endsWith(option, at)) {
        next = at - option.length;
        break;
      }
    }
    if (next < 0) return -1;
    at = next;
  }
  return at;
}

export type IgnoreCaseMode = "equals" | "prefix" | "suffix";

/** A predicate on strings: the whole string, its start or its end spells `pattern`. */
export function ignoreCaseMatcher(
  pattern: string,
  mode: IgnoreCaseMode,
): (text: string) => boolean {
  const chars = spellings(pattern);
  switch (mode) {
    case "equals":
      return (text) => forwards(text, chars, 0) === text.length;
    case "prefix":
      return (text) => forwards(text, chars, 0) >= 0;
    default:
      return (text) => backwards(text, chars, text.length) >= 0;
  }
}
