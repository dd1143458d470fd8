import { describe, expect, it } from "vitest";
import {
  compilePattern,
  InvalidEventPatternError,
  patternWarnings,
  validatePattern,
} from "../src/index.js";

const match = (pattern: unknown, event: unknown) => compilePattern(pattern).matches(event);

describe("arrays on both sides", () => {
  const pattern = { tags: ["a", "b"] };

  it("matches when the pattern's values and the event's array intersect", () => {
    expect(match(pattern, { tags: ["x", "b"] })).toBe(true);
    expect(match(pattern, { tags: ["x", "y"] })).toBe(false);
  });

  it("looks into arrays nested in arrays", () => {
    expect(match(pattern, { tags: [["x"], [["a"]]] })).toBe(true);
    expect(match(pattern, { tags: [[], [[]]] })).toBe(false);
  });

  it("ignores objects among an array's values for leaf matching", () => {
    expect(match(pattern, { tags: [{ name: "a" }] })).toBe(false);
    expect(match(pattern, { tags: [{ name: "a" }, "a"] })).toBe(true);
  });

  it("tries each element of an array of objects, keeping a match within one element", () => {
    const p = { items: { sku: ["abc"], qty: [{ numeric: [">", 1] }] } };
    expect(match(p, { items: [{ sku: "abc", qty: 2 }] })).toBe(true);
    expect(
      match(p, {
        items: [
          { sku: "abc", qty: 1 },
          { sku: "xyz", qty: 5 },
        ],
      }),
    ).toBe(false);
    expect(match(p, { items: { sku: "abc", qty: 3 } })).toBe(true);
  });

  it("keeps $or alternatives within one element", () => {
    const p = { items: { $or: [{ a: [1] }, { b: [2] }], c: [3] } };
    expect(match(p, { items: [{ a: 1 }, { c: 3 }] })).toBe(false);
    expect(match(p, { items: [{ a: 1, c: 3 }] })).toBe(true);
    expect(
      match(p, {
        items: [
          { a: 9, c: 3 },
          { b: 2, c: 3 },
        ],
      }),
    ).toBe(true);
  });
});

describe("null, empty string, booleans and types", () => {
  it("tells null from the empty string and from a missing field", () => {
    expect(match({ a: [null] }, { a: null })).toBe(true);
    expect(match({ a: [null] }, { a: "" })).toBe(false);
    expect(match({ a: [null] }, {})).toBe(false);
    expect(match({ a: [""] }, { a: "" })).toBe(true);
    expect(match({ a: [""] }, { a: null })).toBe(false);
    expect(match({ a: [null] }, { a: ["x", null] })).toBe(true);
  });

  it("matches booleans only as booleans", () => {
    expect(match({ a: [true] }, { a: true })).toBe(true);
    expect(match({ a: [true] }, { a: "true" })).toBe(false);
    expect(match({ a: [true] }, { a: false })).toBe(false);
    expect(match({ a: ["true"] }, { a: true })).toBe(false);
    expect(match({ a: [false] }, { a: [true, false] })).toBe(true);
  });

  it("is case-sensitive for exact strings", () => {
    expect(match({ a: ["Alice"] }, { a: "alice" })).toBe(false);
  });

  it("mixes value types in one pattern array", () => {
    const p = { a: [1, "1", null, { prefix: "x" }] };
    expect(match(p, { a: 1 })).toBe(true);
    expect(match(p, { a: "1" })).toBe(true);
    expect(match(p, { a: null })).toBe(true);
    expect(match(p, { a: "xyz" })).toBe(true);
    expect(match(p, { a: 2 })).toBe(false);
    expect(match(p, { a: false })).toBe(false);
  });
});

describe("nested objects", () => {
  it("needs an object where the pattern has one", () => {
    const p = { detail: { state: ["on"] } };
    expect(match(p, { detail: { state: "on" } })).toBe(true);
    expect(match(p, { detail: "on" })).toBe(false);
    expect(match(p, { state: "on" })).toBe(false);
    expect(match(p, { detail: { detail: { state: "on" } } })).toBe(false);
  });

  it("needs a leaf value where the pattern has a value array", () => {
    expect(match({ detail: ["on"] }, { detail: { state: "on" } })).toBe(false);
  });

  it("reads dotted keys as nesting, in patterns and in events, as event-ruler does", () => {
    const dotted = { detail: { "state.status": ["on"] } };
    const nested = { detail: { state: { status: ["on"] } } };
    for (const pattern of [dotted, nested]) {
      expect(match(pattern, { detail: { state: { status: "on" } } })).toBe(true);
      expect(match(pattern, { detail: { "state.status": "on" } })).toBe(true);
      expect(match(pattern, { "detail.state": { status: "on" } })).toBe(true);
      expect(match(pattern, { detail: { state: { status: "off" } } })).toBe(false);
      expect(match(pattern, { detail: { "state.status": "off" } })).toBe(false);
    }
    const pattern = { "detail.state": ["on"], detail: { n: [1] } };
    const event = { detail: { state: "on", n: 1 } };
    expect(match(pattern, event)).toBe(true);
    expect(event).toEqual({ detail: { state: "on", n: 1 } });
    // the event is read, never rewritten
    const eventWithDots = { detail: { "x.y": 1 } };
    expect(match({ detail: { x: { y: [1] } } }, eventWithDots)).toBe(true);
    expect(eventWithDots).toEqual({ detail: { "x.y": 1 } });
  });

  it("lets a dotted key and a nested object for the same field override each other", () => {
    const later = { "a.b": ["1"], a: { b: ["2"] } };
    expect(match(later, { a: { b: "2" } })).toBe(true);
    expect(match(later, { a: { b: "1" } })).toBe(false);
    expect(patternWarnings(later)).toEqual([
      '"a.b" gives the field "a.b" again after "a.b": EventBridge keeps only the later condition, the earlier one is ignored',
    ]);
  });

  it("ignores extra fields at every level", () => {
    expect(match({ a: { b: [1] } }, { a: { b: 1, c: 2 }, d: 3 })).toBe(true);
  });
});

describe("numbers", () => {
  it("compares exact numbers numerically but never with strings", () => {
    expect(match({ n: [5] }, { n: 5.0 })).toBe(true);
    expect(match({ n: [5.0] }, { n: 5 })).toBe(true);
    expect(match({ n: [5] }, JSON.parse('{"n": 5.000}'))).toBe(true);
    expect(match({ n: [5] }, JSON.parse('{"n": 0.5e1}'))).toBe(true);
    expect(match({ n: [5] }, { n: "5" })).toBe(false);
    expect(match({ n: ["5"] }, { n: 5 })).toBe(false);
    expect(match({ n: [0] }, { n: -0 })).toBe(true);
  });

  it("matches exact numbers outside the numeric range too (account numbers)", () => {
    expect(match({ account: [123456789012] }, { account: 123456789012 })).toBe(true);
    expect(match({ account: [123456789012] }, { account: "123456789012" })).toBe(false);
  });

  it("keeps six decimals of precision in ranges", () => {
    const p = { n: [{ numeric: [">", 0.000001, "<", 0.000003] }] };
    expect(match(p, { n: 0.000002 })).toBe(true);
    expect(match(p, { n: 0.000001 })).toBe(false);
    expect(match(p, { n: 0.000003 })).toBe(false);
  });

  it("treats open and closed bounds as written", () => {
    expect(match({ n: [{ numeric: [">=", 1, "<", 2] }] }, { n: 1 })).toBe(true);
    expect(match({ n: [{ numeric: [">=", 1, "<", 2] }] }, { n: 2 })).toBe(false);
    expect(match({ n: [{ numeric: [">", 1, "<=", 2] }] }, { n: 2 })).toBe(true);
    expect(match({ n: [{ numeric: ["<=", -1] }] }, { n: -1 })).toBe(true);
  });

  it("only compares event numbers within -5e9..5e9 in numeric expressions", () => {
    expect(match({ n: [{ numeric: [">", 0] }] }, { n: 5e9 })).toBe(true);
    expect(match({ n: [{ numeric: [">", 0] }] }, { n: 5e9 + 1 })).toBe(false);
    expect(match({ n: [{ numeric: ["<", 0] }] }, { n: -5e9 })).toBe(true);
    expect(match({ n: [{ numeric: ["<", 0] }] }, { n: -1e10 })).toBe(false);
  });

  it("accepts the limits themselves and six decimals in patterns", () => {
    expect(validatePattern({ n: [{ numeric: [">=", -5e9, "<=", 5e9] }] })).toBeUndefined();
    expect(validatePattern({ n: [{ numeric: ["=", 1.123456] }] })).toBeUndefined();
    expect(validatePattern({ n: [{ numeric: ["=", 1.1234567] }] })).toContain("6 decimals");
    expect(validatePattern({ n: [{ numeric: ["=", 1e-7] }] })).toContain("6 decimals");
  });

  it("matches numeric expressions on any element of an array", () => {
    expect(match({ n: [{ numeric: [">", 10] }] }, { n: [1, 2, 30] })).toBe(true);
    expect(match({ n: [{ numeric: [">", 10] }] }, { n: [1, "30"] })).toBe(false);
  });
});

describe("cidr", () => {
  it("matches IPv6 addresses in any textual form", () => {
    const p = { ip: [{ cidr: "2001:db8:1234:1a00::/56" }] };
    expect(match(p, { ip: "2001:db8:1234:1a00::1" })).toBe(true);
    expect(match(p, { ip: "2001:0DB8:1234:1AFF:FFFF:FFFF:FFFF:FFFF" })).toBe(true);
    expect(match(p, { ip: "2001:db8:1234:1b00::" })).toBe(false);
    expect(match(p, { ip: "2001:db8:1234:19ff:ffff:ffff:ffff:ffff" })).toBe(false);
    expect(match(p, { ip: "2001:db8:1234:1a00:0:0:0:1" })).toBe(true);
  });

  it("matches the whole IPv6 space with /0 and one block edge with /127", () => {
    expect(match({ ip: [{ cidr: "::/0" }] }, { ip: "ffff::1" })).toBe(true);
    expect(match({ ip: [{ cidr: "::/0" }] }, { ip: "10.0.0.1" })).toBe(false);
    expect(match({ ip: [{ cidr: "::/127" }] }, { ip: "::1" })).toBe(true);
    expect(match({ ip: [{ cidr: "::/127" }] }, { ip: "::2" })).toBe(false);
  });

  it("does not match malformed or non-string event values", () => {
    const p = { ip: [{ cidr: "10.0.0.0/8" }] };
    expect(match(p, { ip: "10.0.0.256" })).toBe(false);
    expect(match(p, { ip: "10.0.0.1/32" })).toBe(false);
    expect(match(p, { ip: " 10.0.0.1" })).toBe(false);
    expect(match(p, { ip: null })).toBe(false);
    expect(match(p, { ip: ["192.168.0.1", "10.1.2.3"] })).toBe(true);
  });

  it("masks host bits written in the block's address, as event-ruler does", () => {
    const p = { ip: [{ cidr: "10.0.0.5/24" }] };
    expect(match(p, { ip: "10.0.0.0" })).toBe(true);
    expect(match(p, { ip: "10.0.0.4" })).toBe(true);
    expect(match(p, { ip: "10.0.0.255" })).toBe(true);
    expect(match(p, { ip: "10.0.1.0" })).toBe(false);
    expect(match(p, { ip: "9.255.255.255" })).toBe(false);
    const v6 = { ip: [{ cidr: "2001:db8::ff/120" }] };
    expect(match(v6, { ip: "2001:db8::" })).toBe(true);
    expect(match(v6, { ip: "2001:db8::1:0" })).toBe(false);
  });

  it("refuses a mask with no host bit, as event-ruler does", () => {
    expect(validatePattern({ ip: [{ cidr: "10.0.0.1/32" }] })).toContain(
      "IPv4 mask bits must be < 32",
    );
    expect(validatePattern({ ip: [{ cidr: "::1/128" }] })).toContain(
      "IPv6 mask bits must be < 128",
    );
  });

  it("matches an exact IP address string in any equivalent form", () => {
    expect(match({ ip: ["2001:db8::1"] }, { ip: "2001:0db8:0:0:0:0:0:1" })).toBe(true);
    expect(match({ ip: ["2001:db8::1"] }, { ip: "2001:db8::2" })).toBe(false);
    expect(match({ ip: ["10.0.0.1"] }, { ip: "10.0.0.1" })).toBe(true);
    expect(match({ ip: ["10.0.0.1"] }, { ip: "10.0.0.10" })).toBe(false);
  });
});

describe("wildcard", () => {
  it("reads \\* as a literal asterisk", () => {
    const p = { a: [{ wildcard: "a\\*b" }] };
    expect(match(p, { a: "a*b" })).toBe(true);
    expect(match(p, { a: "axb" })).toBe(false);
    expect(match(p, { a: "ab" })).toBe(false);
  });

  it("reads \\\\ as a literal backslash", () => {
    const p = { a: [{ wildcard: "C:\\\\*" }] };
    expect(match(p, { a: "C:\\Windows" })).toBe(true);
    expect(match(p, { a: "C:/Windows" })).toBe(false);
  });

  it("allows an escaped asterisk next to a wildcard", () => {
    const p = { a: [{ wildcard: "*\\**" }] };
    expect(match(p, { a: "x*y" })).toBe(true);
    expect(match(p, { a: "xy" })).toBe(false);
    expect(validatePattern({ a: [{ wildcard: "\\**" }] })).toBeUndefined();
  });

  it("takes regular-expression characters literally and matches across lines", () => {
    expect(match({ a: [{ wildcard: "a.b*" }] }, { a: "axb" })).toBe(false);
    expect(match({ a: [{ wildcard: "a.b*" }] }, { a: "a.bc" })).toBe(true);
    expect(match({ a: [{ wildcard: "(x)*[y]" }] }, { a: "(x)\n\n[y]" })).toBe(true);
    expect(match({ a: [{ wildcard: "a*b*c" }] }, { a: "abc" })).toBe(true);
    expect(match({ a: [{ wildcard: "a*b*c" }] }, { a: "acb" })).toBe(false);
  });

  it("matches the whole value, and only strings", () => {
    expect(match({ a: [{ wildcard: "*" }] }, { a: "" })).toBe(true);
    expect(match({ a: [{ wildcard: "*" }] }, { a: 5 })).toBe(false);
    expect(match({ a: [{ wildcard: "ab" }] }, { a: "xab" })).toBe(false);
    expect(match({ a: [{ wildcard: "*ab" }] }, { a: "xab" })).toBe(true);
    expect(match({ a: [{ wildcard: "a*a" }] }, { a: "a" })).toBe(false);
  });
});

describe("anything-but", () => {
  it("needs the field to be present with a value", () => {
    const p = { a: [{ "anything-but": "x" }] };
    expect(match(p, {})).toBe(false);
    expect(match(p, { a: [] })).toBe(false);
    expect(match(p, { a: { b: "y" } })).toBe(false);
  });

  it("matches any other value, of any type", () => {
    const p = { a: [{ "anything-but": "x" }] };
    expect(match(p, { a: "y" })).toBe(true);
    expect(match(p, { a: 5 })).toBe(true);
    expect(match(p, { a: null })).toBe(true);
    expect(match(p, { a: false })).toBe(true);
  });

  it("matches an array when one element is not excluded", () => {
    const p = { a: [{ "anything-but": ["x", "y"] }] };
    expect(match(p, { a: ["x", "y"] })).toBe(false);
    expect(match(p, { a: ["x", "z"] })).toBe(true);
  });

  it("compares excluded numbers numerically, and never with strings", () => {
    const p = { a: [{ "anything-but": [5, 6] }] };
    expect(match(p, { a: 5.0 })).toBe(false);
    expect(match(p, { a: "5" })).toBe(true);
    expect(match({ a: [{ "anything-but": "5" }] }, { a: 5 })).toBe(true);
  });

  it("takes lists of prefixes and suffixes", () => {
    const p = { a: [{ "anything-but": { prefix: ["us-", "eu-"] } }] };
    expect(match(p, { a: "us-east-1" })).toBe(false);
    expect(match(p, { a: "eu-west-1" })).toBe(false);
    expect(match(p, { a: "ap-south-1" })).toBe(true);
    const s = { a: [{ "anything-but": { suffix: [".png", ".jpg"] } }] };
    expect(match(s, { a: "a.jpg" })).toBe(false);
    expect(match(s, { a: "a.gif" })).toBe(true);
  });

  it("combines with other values of the same field as an OR", () => {
    const p = { a: ["x", { "anything-but": { prefix: "x" } }] };
    expect(match(p, { a: "x" })).toBe(true);
    expect(match(p, { a: "xy" })).toBe(false);
    expect(match(p, { a: "y" })).toBe(true);
  });
});

describe("exists", () => {
  it("exists: false matches a missing field but not a null one", () => {
    const p = { a: [{ exists: false }] };
    expect(match(p, {})).toBe(true);
    expect(match(p, { a: null })).toBe(false);
    expect(match(p, { a: [] })).toBe(true);
    expect(match(p, { a: [null] })).toBe(false);
  });

  it("exists: true matches null and arrays with a leaf value, not objects or empty arrays", () => {
    const p = { a: [{ exists: true }] };
    expect(match(p, { a: null })).toBe(true);
    expect(match(p, { a: [1] })).toBe(true);
    expect(match(p, { a: [] })).toBe(false);
    expect(match(p, { a: {} })).toBe(false);
    expect(match(p, { a: [{ b: 1 }] })).toBe(false);
    expect(match(p, {})).toBe(false);
  });

  it("exists: false holds when the parent object is missing or not an object", () => {
    const p = { detail: { a: [{ exists: false }] } };
    expect(match(p, {})).toBe(true);
    expect(match(p, { detail: "text" })).toBe(true);
    expect(match(p, { detail: { a: 1 } })).toBe(false);
  });

  it("exists: false over an array of objects needs the field absent from every element", () => {
    const p = { items: { a: [{ exists: false }] } };
    expect(match(p, { items: [{ b: 1 }, { c: 1 }] })).toBe(true);
    expect(match(p, { items: [{ b: 1 }, { a: 1 }] })).toBe(false);
    expect(match(p, { items: [] })).toBe(true);
  });

  it("combines with values as an OR", () => {
    const p = { a: [{ exists: false }, "x"] };
    expect(match(p, {})).toBe(true);
    expect(match(p, { a: "x" })).toBe(true);
    expect(match(p, { a: "y" })).toBe(false);
  });

  it("does not treat inherited members as fields", () => {
    expect(match({ constructor: [{ exists: true }] }, {})).toBe(false);
    expect(match({ toString: [{ exists: false }] }, {})).toBe(true);
    const proto = compilePattern('{"__proto__": ["x"]}');
    expect(proto.matches('{"__proto__": "x"}')).toBe(true);
    expect(proto.matches({})).toBe(false);
  });
});

describe("$or", () => {
  it("nests inside alternatives and combines with fields", () => {
    const p = {
      a: [1],
      $or: [{ b: [1] }, { $or: [{ c: [1] }, { d: { e: [1] } }] }],
    };
    expect(match(p, { a: 1, b: 1 })).toBe(true);
    expect(match(p, { a: 1, c: 1 })).toBe(true);
    expect(match(p, { a: 1, d: { e: 1 } })).toBe(true);
    expect(match(p, { a: 1, d: { e: 2 } })).toBe(false);
    expect(match(p, { a: 2, b: 1 })).toBe(false);
  });

  it("is an ordinary field name in events", () => {
    expect(match({ $or: [{ a: [1] }, { b: [1] }] }, { $or: [{ a: 1 }] })).toBe(false);
  });
});

describe("the API", () => {
  it("takes a pattern as JSON text and an event as JSON text", () => {
    const p = compilePattern('{"source": ["svc"]}');
    expect(p.matches('{"source": "svc"}')).toBe(true);
    expect(p.matches({ source: "other" })).toBe(false);
  });

  it("compiles once: later changes to the pattern object do not change the compiled one", () => {
    const pattern = { source: ["svc"] };
    const compiled = compilePattern(pattern);
    pattern.source[0] = "other";
    expect(compiled.matches({ source: "svc" })).toBe(true);
  });

  it("gives the reason, the path and the value", () => {
    const error = (() => {
      try {
        compilePattern({ detail: { price: [{ numeric: [">", "cheap"] }] } });
      } catch (e) {
        return e as InvalidEventPatternError;
      }
      throw new Error("expected an error");
    })();
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("InvalidEventPatternError");
    expect(error.reason).toBe("Value of > must be numeric");
    expect(error.path).toBe("detail.price");
    expect(error.message).toBe(
      'Invalid event pattern at "detail.price": Value of > must be numeric (got [">","cheap"])',
    );
  });

  it("validatePattern returns undefined for a valid pattern", () => {
    expect(validatePattern({ source: ["svc"], detail: { n: [{ numeric: [">", 0] }] } })).toBe(
      undefined,
    );
  });

  it("refuses values JSON cannot carry", () => {
    expect(validatePattern({ a: [Number.NaN] })).toContain("Match value must be");
    expect(validatePattern({ a: [undefined] })).toContain("Match value must be");
    expect(validatePattern({ a: undefined })).toContain('"a" must be an object or an array');
  });
});
