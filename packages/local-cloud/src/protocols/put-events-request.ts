import { AwsError, serializationError } from "./aws-error.js";
import {
  type JsonObject,
  readList,
  readNumber,
  readObjectList,
  readString,
  readStringList,
} from "./json-input.js";
import { entrySize, type PutEventsEntry } from "./put-events-entry.js";

const MAX_ENTRIES = 10;
/** EventBridge's limit on the summed size of a request's entries (see entrySize). */
export const DEFAULT_MAX_ENTRIES_BYTES = 256 * 1024;

// The EventBusName constraint of EventBridge's API model: a name, or a bus ARN.
const EVENT_BUS_NAME_PATTERN =
  "(arn:aws[\\w-]*:events:[a-z]{2}-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[\\/\\.\\-_A-Za-z0-9]+";
const EVENT_BUS_NAME = new RegExp(`^(${EVENT_BUS_NAME_PATTERN})$`);
const MAX_EVENT_BUS_NAME_LENGTH = 1600;
/** EventBridge quotes every entry of a request with too many; we quote this many at most. */
const MAX_QUOTED_ENTRIES = 100;

/**
 * Reads a PutEvents request and applies the checks that fail the whole request, with
 * EventBridge's wording: members of the wrong type (SerializationException), the model's
 * constraints (ValidationException "N validation error(s) detected: ..."), then the total
 * entry size.
 */
export function readPutEventsRequest(input: JsonObject, maxEntriesBytes: number): PutEventsEntry[] {
  const raw = readList(input, "Entries");
  // The count is checked before any entry is read, so that a request of a million entries
  // costs no more than one of eleven.
  if (raw && raw.length > MAX_ENTRIES) throw tooManyEntries(raw);
  const entries = readObjectList(input, "Entries")?.map(readEntry);

  const violations: string[] = [];
  if (!entries) {
    violations.push(
      "Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  } else if (entries.length < 1) {
    violations.push(
      "Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  entries?.forEach((entry, index) => {
    const name = entry.EventBusName;
    if (name === undefined) return;
    const at = `'entries.${index + 1}.member.eventBusName'`;
    if (name.length < 1 || name.length > MAX_EVENT_BUS_NAME_LENGTH) {
      const bound =
        name.length < 1
          ? "greater than or equal to 1"
          : `less than or equal to ${MAX_EVENT_BUS_NAME_LENGTH}`;
      violations.push(
        `Value '${name}' at ${at} failed to satisfy constraint: Member must have length ${bound}`,
      );
    } else if (!EVENT_BUS_NAME.test(name)) {
      violations.push(
        `Value '${name}' at ${at} failed to satisfy constraint: Member must satisfy regular expression pattern: ${EVENT_BUS_NAME_PATTERN}`,
      );
    }
  });
  if (violations.length > 0) {
    const count = `${violations.length} validation error${violations.length === 1 ? "" : "s"}`;
    throw new AwsError("ValidationException", `${count} detected: ${violations.join("; ")}`);
  }

  const list = entries as PutEventsEntry[];
  const total = list.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > maxEntriesBytes) throw entriesTooLarge();
  return list;
}

/** EventBridge's refusal of a request whose entries are over 256 KB in all. */
export function entriesTooLarge(): AwsError {
  return new AwsError(
    "ValidationException",
    "Total size of the entries in the request is over the limit.",
  );
}

/**
 * EventBridge's refusal of more than 10 entries, which quotes them; past MAX_QUOTED_ENTRIES
 * the quote says how many more there are instead.
 */
function tooManyEntries(raw: unknown[]): AwsError {
  const first = readObjectList({ Entries: raw.slice(0, MAX_QUOTED_ENTRIES) }, "Entries") ?? [];
  const quoted = first.map((item, index) => describeEntry(readEntry(item, index)));
  const more = raw.length - quoted.length;
  const list = more > 0 ? `${quoted.join(", ")}, ... ${more} more` : quoted.join(", ");
  return new AwsError(
    "ValidationException",
    `1 validation error detected: Value '[${list}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
  );
}

function readEntry(raw: JsonObject, index: number): PutEventsEntry {
  const at = (member: string) => `Entries[${index}].${member}`;
  const entry: PutEventsEntry = {};
  const strings = ["Source", "DetailType", "Detail", "EventBusName", "TraceHeader"] as const;
  for (const member of strings) {
    const value = readString(raw, member, at(member));
    if (value !== undefined) entry[member] = value;
  }
  const resources = readStringList(raw, "Resources", at("Resources"));
  if (resources !== undefined) entry.Resources = resources;
  const time = readNumber(raw, "Time", at("Time"));
  if (time !== undefined) {
    // Epoch seconds that a date can hold, written with a four-digit year.
    if (!Number.isFinite(time) || time < -62_135_596_800 || time > 253_402_300_799) {
      throw serializationError(
        `${at("Time")} must be epoch seconds between years 1 and 9999, not ${time}`,
      );
    }
    entry.Time = time;
  }
  return entry;
}

/** An entry as EventBridge quotes it in its too-many-entries error (a Java toString). */
function describeEntry(entry: PutEventsEntry): string {
  const value = (v: unknown) => (v === undefined ? "null" : String(v));
  const resources = entry.Resources ? `[${entry.Resources.join(", ")}]` : "null";
  return `PutEventsRequestEntry(time=${value(entry.Time)}, source=${value(entry.Source)}, resources=${resources}, detailType=${value(entry.DetailType)}, detail=${value(entry.Detail)}, eventBusName=${value(entry.EventBusName)}, traceHeader=${value(entry.TraceHeader)})`;
}
