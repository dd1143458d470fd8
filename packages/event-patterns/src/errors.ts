/**
 * Thrown by `compilePattern` when a pattern would be refused by PutRule. `message` carries the
 * reason (worded as aws/event-ruler words it, where it has a word for it), the path of the field
 * at fault and the value found there.
 */
export class InvalidEventPatternError extends Error {
  override readonly name = "InvalidEventPatternError";
  /** The reason alone, without the path and the value. */
  readonly reason: string;
  /** Dotted path of the offending field (`$or` alternatives as `$or[1]`), or "" for the root. */
  readonly path: string;

  constructor(reason: string, path = "", value?: unknown, hasValue = false) {
    const where = path === "" ? "" : ` at "${path}"`;
    const got = hasValue ? ` (got ${show(value)})` : "";
    super(`Invalid event pattern${where}: ${reason}${got}`);
    this.reason = reason;
    this.path = path;
  }
}

/** Throws an InvalidEventPatternError; `value` is shown only when it is passed. */
export function fail(reason: string, path: string, ...value: [unknown?]): never {
  throw new InvalidEventPatternError(reason, path, value[0], value.length > 0);
}

function show(value: unknown): string {
  let text: string;
  if (value === undefined) text = "undefined";
  else if (typeof value === "number" && !Number.isFinite(value)) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
