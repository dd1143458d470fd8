import { randomUUID } from "node:crypto";
import type { BusEvent } from "../bus-event.js";
import type { EventsBackend } from "../events-backend.js";
import { unknownOperation } from "./aws-error.js";
import type { AwsJsonService } from "./aws-service.js";
import type { JsonObject } from "./json-input.js";
import { type EntryFailure, entryToEvent } from "./put-events-entry.js";
import {
  DEFAULT_MAX_ENTRIES_BYTES,
  entriesTooLarge,
  readPutEventsRequest,
} from "./put-events-request.js";

/**
 * The largest PutEvents body read. AWS documents no HTTP limit, only 256 KB of entries; SDKs
 * escape a byte of an entry as at most 3 in JSON (Python's \uXXXX for non-ASCII), so entries
 * within 256 KB always fit in 1 MiB, and a bigger body is refused unread.
 */
const MAX_PUT_EVENTS_REQUEST_BYTES = 1024 * 1024;

export interface EventsApiOptions {
  backend: EventsBackend;
  /**
   * Told of every event dropped for want of its bus, so the environment can say so. EventBridge
   * answers an entry for a bus that does not exist with an EventId and drops the event.
   */
  onDropped?: (notice: { eventBusName: string; event: BusEvent }) => void;
  /** The limit on a request's summed entry sizes; default 256 KB. */
  maxEntriesBytes?: number;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  /** Event ids; default random UUIDs. */
  newId?: () => string;
}

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: ({ EventId: string } | EntryFailure)[];
}

/** The `AWSEvents` service: PutEvents onto the local buses. */
export function createEventsApi(options: EventsApiOptions): AwsJsonService {
  return {
    targetPrefix: "AWSEvents",
    jsonVersion: "1.1",
    maxRequestBytes: MAX_PUT_EVENTS_REQUEST_BYTES,
    requestTooLarge: entriesTooLarge(),
    handle(operation: string, input: JsonObject) {
      if (operation !== "PutEvents") {
        throw unknownOperation(
          `AWSEvents.${operation}`,
          "the local EventBridge serves PutEvents only; buses and rules come from the CDK app",
        );
      }
      return putEvents(input, options);
    },
  };
}

export function putEvents(input: JsonObject, options: EventsApiOptions): PutEventsResult {
  const { backend } = options;
  const entries = readPutEventsRequest(input, options.maxEntriesBytes ?? DEFAULT_MAX_ENTRIES_BYTES);
  const now = (options.now ?? Date.now)();
  const newId = options.newId ?? randomUUID;
  const results = entries.map((entry): { EventId: string } | EntryFailure => {
    const converted = entryToEvent(entry, {
      account: backend.account,
      region: backend.region,
      now,
      newId,
    });
    if (!converted.ok) return converted.failure;
    const { event, eventBusName } = converted;
    const bus = backend.findBus(eventBusName);
    if (!bus) {
      options.onDropped?.({ eventBusName, event });
      return { EventId: event.id };
    }
    try {
      bus.put(event);
    } catch (error) {
      // A per-entry failure, not a failed request: the SDK would retry the whole request,
      // putting the other entries twice.
      return {
        ErrorCode: "InternalFailure",
        ErrorMessage: `The request processing has failed because of an unknown error, exception or failure: ${String(error)}`,
      };
    }
    return { EventId: event.id };
  });
  return {
    FailedEntryCount: results.filter((result) => "ErrorCode" in result).length,
    Entries: results,
  };
}
