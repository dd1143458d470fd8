// Behaviour that follows event-ruler where it is the real service's behaviour: $or overriding,
// Java's case mappings, host bits in CIDR blocks, exists: false over arrays, written numbers.
import { describe, expect, it } from "vitest";
import { compilePattern, patternWarnings, validatePattern } from "../src/index.js";

const match = (pattern: unknown, event: unknown) => compilePattern(pattern).matches(event);

describe("a field written again inside an $or alternative", () => {
  it("keeps the later condition, before or after the $or", () => {
    const before = { a: ["x"], $or: [{ a: ["y"] }, { b: ["z"] }] };
    expect(match(before, { a: "y" })).toBe(true);
    expect(match(before, { a: "x" })).toBe(false);
    expect(match(before, { a: "x", b: "z" })).toBe(true);
    const after = { $or: [{ c: ["y"] }, { b: ["z"] }], c: [{ prefix: "x" }] };
    expect(match(after, { c: "xx" })).toBe(true);
    expect(match(after, { c: "y" })).toBe(false);
    expect(match(after, { c: "xx", b: "z" })).toBe(true);
  });

  it("is named by patternWarnings, with both places", () => {
    expect(patternWarnings({ a: ["x"], $or: [{ a: ["y"] }, { b: ["z"] }] })).toEqual([
      '"$or[0].a" gives the field "a" again after "a": EventBridge keeps only the later condition, the earlier one is ignored',
    ]);
    expect(patternWarnings({ detail: { $or: [{ n: [1] }, { m: [2] }] }, "detail.n": [3] })).toEqual(
      [
        '"detail.n" gives the field "detail.n" again after "detail.$or[0].n": EventBridge keeps only the later condition, the earlier one is ignored',
      ],
    );
  });

  it("gives no warning for ordinary patterns, and throws for invalid ones", () => {
    expect(patternWarnings({ a: ["x"], $or: [{ b: ["y"] }, { c: ["z"] }] })).toEqual([]);
    expect(patternWarnings('{"source": ["a"], "detail": {"n": [{"numeric": [">", 1]}]}}')).toEqual(
      [],
    );
    expect(() => patternWarnings({ a: [] })).toThrow("Empty arrays are not allowed");
  });

  it("multiplies nested alternatives, and refuses a pattern with too many combinations", () => {
    const p = { $or: [{ a: [1] }, { b: [1] }], c: { $or: [{ d: [1] }, { e: [1] }] } };
    expect(match(p, { b: 1, c: { e: 1 } })).toBe(true);
    expect(match(p, { b: 1, c: { f: 1 } })).toBe(false);
    const huge = Object.fromEntries(
      Array.from({ length: 14 }, (_, i) => [`f${i}`, { $or: [{ a: [1] }, { b: [1] }] }]),
    );
    expect(validatePattern(huge)).toContain("combine into more than 10000 sub-rules");
  });
});

describe("equals-ignore-case with Java's case mappings", () => {
  const eic = (value: string) => ({ s: [{ "equals-ignore-case": value }] });
  const prefix = (value: string) => ({ s: [{ prefix: { "equals-ignore-case": value } }] });
  const suffix = (value: string) => ({ s: [{ suffix: { "equals-ignore-case": value } }] });

  it("accepts each pattern character's lower- or upper-case mapping", () => {
    expect(match(eic("ς"), { s: "Σ" })).toBe(true);
    expect(match(eic("ﬀ"), { s: "FF" })).toBe(true);
    expect(match(eic("straße"), { s: "STRASSE" })).toBe(true);
    expect(match(eic("ı"), { s: "I" })).toBe(true);
    expect(match(eic("\u0390"), { s: "\u0399\u0308\u0301" })).toBe(true); // ΐ, upper-cased to 3
    expect(match(eic("\u0390"), { s: "\u03aa\u0301" })).toBe(false); // composed otherwise
    expect(match(eic("Alice"), { s: "aLICE" })).toBe(true);
  });

  it("does not fold the event's characters the other way, as event-ruler does not", () => {
    expect(match(eic("FF"), { s: "ﬀ" })).toBe(false);
    expect(match(eic("ss"), { s: "ß" })).toBe(false);
    expect(match(eic("k"), { s: "\u212a" })).toBe(false); // KELVIN SIGN
    expect(match(eic("\u212a"), { s: "k" })).toBe(true);
    expect(match(eic("abc"), { s: "abcd" })).toBe(false);
    expect(match(eic("abc"), { s: "ab" })).toBe(false);
  });

  it("always matches the identical string (titlecase and non-BMP characters too)", () => {
    expect(match(eic("ǅ"), { s: "ǅ" })).toBe(true);
    expect(match(eic("ǅ"), { s: "Ǆ" })).toBe(true);
    expect(match(eic("😀"), { s: "😀" })).toBe(true);
    expect(match(eic("𐐀"), { s: "𐐨" })).toBe(true); // Deseret, outside the BMP
  });

  it("applies the same mappings to prefix, suffix and anything-but", () => {
    expect(match(prefix("ß"), { s: "SSx" })).toBe(true);
    expect(match(prefix("ß"), { s: "Sx" })).toBe(false);
    expect(match(suffix("ﬀ"), { s: "xFF" })).toBe(true);
    expect(match(suffix("ﬀ"), { s: "F" })).toBe(false);
    expect(match(suffix("😀"), { s: "x😀" })).toBe(true);
    const but = { s: [{ "anything-but": { "equals-ignore-case": ["ς", "x"] } }] };
    expect(match(but, { s: "Σ" })).toBe(false);
    expect(match(but, { s: "X" })).toBe(false);
    expect(match(but, { s: "y" })).toBe(true);
  });

  it("stays linear: no character has a spelling that starts or ends another of its spellings", () => {
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code < 0xe000) continue;
      const c = String.fromCodePoint(code);
      const spellings = [...new Set([c, c.toLowerCase(), c.toUpperCase()])];
      for (const a of spellings) {
        for (const b of spellings) {
          if (a !== b && (b.startsWith(a) || b.endsWith(a)))
            throw new Error(`U+${code.toString(16)}`);
        }
      }
    }
    const long = "ß".repeat(50_000);
    expect(match(eic(long), { s: "SS".repeat(50_000) })).toBe(true);
    expect(match(prefix(long), { s: `${"ss".repeat(49_999)}x` })).toBe(false);
  });
});

describe("exists: false over arrays of objects, as event-ruler walks fields in path order", () => {
  it("needs the field absent from every element unless an earlier field pins one element", () => {
    // p.a sorts before p.b: nothing pins an element when p.a is checked
    const unpinned = { p: { b: ["x"], a: [{ exists: false }] } };
    expect(match(unpinned, { p: [{ a: "K" }, { b: "x" }] })).toBe(false);
    expect(match(unpinned, { p: [{ c: "K" }, { b: "x" }] })).toBe(true);
    // p.a sorts before p.c: the element that matched p.a is the one checked for p.c
    const pinned = { p: { a: ["x"], c: [{ exists: false }] } };
    expect(match(pinned, { p: [{ c: "K" }, { a: "x" }] })).toBe(true);
    expect(match(pinned, { p: [{ c: "K", a: "x" }] })).toBe(false);
  });

  it("follows event-ruler's examples", () => {
    const employees = { employees: { firstName: ["Anna"], ids: [{ exists: false }] } };
    const event = {
      employees: [
        [
          { firstName: "John", lastName: "Doe", ids: [1234, 1000, 9999] },
          { firstName: "Anna", lastName: "Smith" },
        ],
        [{ firstName: "Peter", lastName: "Jones", ids: [] }],
      ],
    };
    expect(match(employees, event)).toBe(true);
    const d = { d: { a: [{ exists: true }], b: [{ exists: false }] } };
    expect(match(d, { d: [{ a: 1 }] })).toBe(true);
    expect(match(d, { d: [{ a: 1, b: 2 }] })).toBe(false);
  });
});

describe("numbers as written", () => {
  it("refuses pattern text whose numbers JSON.parse would round into range", () => {
    expect(validatePattern('{"n":[{"numeric":["=",1E-325]}]}')).toContain(
      "Only values upto 6 decimals are supported",
    );
    expect(validatePattern('{"n":[{"numeric":["<",5000000000.0000001]}]}')).toContain(
      "Only values upto 6 decimals are supported",
    );
    expect(validatePattern('{"n":[{"anything-but":[1, 0.00000001]}]}')).toContain(
      'Only values upto 6 decimals are supported (got "0.00000001")',
    );
    expect(validatePattern('{"n":[{"anything-but":1e-9}]}')).toContain("6 decimals");
  });

  it("accepts what is written within the limits, trailing zeros and exponents included", () => {
    expect(validatePattern('{"n":[{"numeric":[">",0.1000000000,"<",5.0E9]}]}')).toBe(undefined);
    expect(validatePattern('{"n":[{"numeric":["=",12345E-3]}]}')).toBe(undefined);
    expect(validatePattern('{"n":[{"numeric":["=",100e-8]}]}')).toBe(undefined);
    expect(validatePattern('{"n":[{"numeric":["<",5000000000.1]}]}')).toContain(
      "between -5.0E9 and 5.0E9",
    );
  });

  it("checks an already parsed pattern on its doubles", () => {
    expect(validatePattern({ n: [{ numeric: ["=", 1e-7] }] })).toContain("6 decimals");
    expect(validatePattern({ n: [{ numeric: ["=", 0] }] })).toBe(undefined);
  });

  it("leaves exact numbers unlimited, as event-ruler does", () => {
    expect(match('{"n":[1E-325]}', { n: 0 })).toBe(true);
    expect(match('{"n":[12345678901234]}', { n: 12345678901234 })).toBe(true);
  });
});
