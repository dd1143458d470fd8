/**
 * What each numeric or named setting may be. Shared by the library (which names the option
 * property) and the CLI (which names the flag), so both say the same thing about a bad value.
 */
export interface Rule<T> {
  accepts(value: T): boolean;
  /** Completes "must be ...". */
  allowed: string;
}

const integerIn = (min: number, max: number): Rule<number> => ({
  accepts: (value) => Number.isInteger(value) && value >= min && value <= max,
  allowed: `an integer from ${min} to ${max}`,
});

export const RULES = {
  port: integerIn(0, 65_535),
  // Lambda allows 1 to 900 s; fractions are accepted so tests can use short timeouts.
  timeoutSeconds: {
    accepts: (value: number) => Number.isFinite(value) && value > 0 && value <= 900,
    allowed: "a number of seconds greater than 0 and at most 900",
  },
  concurrency: integerIn(1, 1_000),
  // Lambda's memory range; the RIE's default (3008) is inside it.
  memorySizeMb: integerIn(128, 10_240),
  maxPayloadBytes: integerIn(1, 2 ** 31 - 1),
  functionName: {
    accepts: (value: string) => /^[A-Za-z0-9_-]{1,64}$/.test(value),
    allowed: "1 to 64 letters, digits, hyphens or underscores",
  },
  handler: {
    accepts: (value: string) => value.length > 0 && !/\s/.test(value),
    allowed: "a non-empty handler name without spaces, such as index.handler",
  },
  region: {
    accepts: (value: string) => /^[a-z0-9-]{1,32}$/.test(value),
    allowed: "a region name such as us-east-1",
  },
  host: {
    accepts: (value: string) => value.length > 0,
    allowed: "a host name or IP address, such as 127.0.0.1 or 0.0.0.0",
  },
} satisfies Record<string, Rule<number> | Rule<string>>;
