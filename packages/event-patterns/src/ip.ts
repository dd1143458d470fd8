// IP address literals and CIDR blocks, as aws/event-ruler reads them: IPv4 as four decimal
// numbers, IPv6 as hexadecimal groups with at most one "::" (no embedded dotted quad, no zone).

import { fail } from "./errors.js";

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_CHARS = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** An IPv4 address as an unsigned 32-bit number, or undefined if `text` is not one. */
function parseIPv4(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (m === null) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** An IPv6 address as a 128-bit bigint, or undefined if `text` is not one. */
function parseIPv6(text: string): bigint | undefined {
  if (text.length < 2 || text.length > 39 || !IPV6_CHARS.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : (halves[0] as string).split(":");
  const tail = halves.length === 1 || halves[1] === "" ? [] : (halves[1] as string).split(":");
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const groups = [...head, ...new Array<string>(8 - total).fill("0"), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!HEX_GROUP.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return value;
}

type IpLiteral = { v4: number } | { v6: bigint };

function parseIp(text: string): IpLiteral | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { v4 };
  const v6 = parseIPv6(text);
  return v6 === undefined ? undefined : { v6 };
}

/** A predicate on event values: true for strings naming an address in the block. */
export function compileCidr(cidr: string, path: string): (value: unknown) => boolean {
  const parts = cidr.split("/");
  if (parts.length !== 2) fail("Malformed CIDR, one '/' required", path, cidr);
  const [address, maskText] = parts as [string, string];
  if (!/^[+-]?\d+$/.test(maskText))
    fail("Malformed CIDR, mask bits must be an integer", path, cidr);
  const mask = Number(maskText);
  if (mask < 0) fail("Malformed CIDR, mask bits must not be negative", path, cidr);
  const ip = parseIp(address);
  if (ip === undefined) fail(`Invalid IP address: ${address}`, path, cidr);
  // As event-ruler: host bits written in the address are masked off (10.0.0.5/24 is the block
  // 10.0.0.0/24), and a mask must leave at least one host bit (a /32 or a /128 is refused).
  if ("v4" in ip) {
    if (mask > 31) fail("IPv4 mask bits must be < 32", path, cidr);
    const size = 2 ** (32 - mask);
    const low = ip.v4 - (ip.v4 % size);
    const high = low + size - 1;
    return (value) => {
      if (typeof value !== "string") return false;
      const v = parseIPv4(value);
      return v !== undefined && v >= low && v <= high;
    };
  }
  if (mask > 127) fail("IPv6 mask bits must be < 128", path, cidr);
  const hostBits = (1n << BigInt(128 - mask)) - 1n;
  const low = ip.v6 & ~hostBits;
  const high = low | hostBits;
  return (value) => {
    if (typeof value !== "string" || value.indexOf(":") < 0) return false;
    const v = parseIPv6(value);
    return v !== undefined && v >= low && v <= high;
  };
}

/**
 * event-ruler turns an exact-match string that is an IP address literal into a one-address
 * range, so "2001:db8::1" also matches "2001:0db8:0:0:0:0:0:1". Undefined when `text` is no IP.
 */
export function compileIpEquals(text: string): ((value: unknown) => boolean) | undefined {
  const ip = parseIp(text);
  if (ip === undefined) return undefined;
  if ("v4" in ip) {
    const want = ip.v4;
    return (value) => typeof value === "string" && parseIPv4(value) === want;
  }
  const want = ip.v6;
  return (value) =>
    typeof value === "string" && value.indexOf(":") >= 0 && parseIPv6(value) === want;
}
