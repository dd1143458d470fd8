// Wildcard values: "*" stands for any run of characters (none included); "\*" is a literal
// asterisk and "\\" a literal backslash. Any other backslash, and "**", are refused.

import { fail } from "./errors.js";

/** The literal pieces between the unescaped asterisks of `pattern`. */
export function parseWildcard(pattern: string, path: string): string[] {
  const pieces: string[] = [];
  let current = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      if (pattern[i + 1] === "*")
        fail(`Consecutive wildcard characters at pos ${i}`, path, pattern);
      pieces.push(current);
      current = "";
    } else if (c === "\\") {
      const next = pattern[i + 1];
      if (next !== "*" && next !== "\\")
        fail(`Invalid escape character at pos ${i}`, path, pattern);
      current += next;
      i++;
    } else {
      current += c;
    }
  }
  pieces.push(current);
  return pieces;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** A predicate on strings. Common shapes avoid regular expressions. */
export function compileWildcard(pattern: string, path: string): (text: string) => boolean {
  const pieces = parseWildcard(pattern, path);
  if (pieces.length === 1) {
    const whole = pieces[0] as string;
    return (text) => text === whole;
  }
  if (pieces.length === 2) {
    const [head, tail] = pieces as [string, string];
    if (tail === "") return (text) => text.startsWith(head);
    if (head === "") return (text) => text.endsWith(tail);
    const min = head.length + tail.length;
    return (text) => text.length >= min && text.startsWith(head) && text.endsWith(tail);
  }
  if (pieces.length === 3 && pieces[0] === "" && pieces[2] === "") {
    const middle = pieces[1] as string;
    return (text) => text.includes(middle);
  }
  const source = pieces.map((piece) => piece.replace(REGEX_SPECIAL, "\\$&")).join("[\\s\\S]*");
  const regex = new RegExp(`^${source}$`);
  return (text) => regex.test(text);
}
