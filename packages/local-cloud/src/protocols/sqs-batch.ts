import { QueueError } from "../queues/index.js";
import type { JsonObject } from "./json-input.js";
import { readList, readObjectList, readString } from "./json-input.js";
import { fromQueueError, sqsError } from "./sqs-errors.js";

const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export interface BatchEntry {
  id: string;
  entry: JsonObject;
}

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/**
 * The entries of a batch request, after the checks that fail the whole batch: there are
 * 1-10 entries (named `entryShape` in SQS's messages), with valid, distinct ids.
 */
export function readBatchEntries(input: JsonObject, entryShape: string): BatchEntry[] {
  // Counted before any entry is read: a million entries cost no more than eleven.
  const count = readList(input, "Entries")?.length ?? 0;
  if (count === 0) {
    throw sqsError(
      "EmptyBatchRequest",
      `There should be at least one ${entryShape} in the request.`,
    );
  }
  if (count > MAX_BATCH_ENTRIES) {
    throw sqsError(
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${count}.`,
    );
  }
  const entries = readObjectList(input, "Entries") ?? [];
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const id = readString(entry, "Id", `Entries[${index}].Id`) ?? "";
    if (!BATCH_ENTRY_ID.test(id)) {
      throw sqsError(
        "InvalidBatchEntryId",
        `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long. Got ${JSON.stringify(id)}.`,
      );
    }
    if (seen.has(id)) throw sqsError("BatchEntryIdsNotDistinct", `Id ${id} repeated.`);
    seen.add(id);
    return { id, entry };
  });
}

/**
 * Runs each entry, collecting SQS's {Successful, Failed}: a queue's refusal fails only its
 * entry (as a sender fault, with the Query code); anything else fails the request.
 */
export function runBatch<T extends object>(
  entries: BatchEntry[],
  run: (entry: JsonObject, index: number) => T,
): { Successful: ({ Id: string } & T)[]; Failed: BatchFailure[] } {
  const Successful: ({ Id: string } & T)[] = [];
  const Failed: BatchFailure[] = [];
  entries.forEach(({ id, entry }, index) => {
    try {
      Successful.push({ Id: id, ...run(entry, index) });
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      const wire = fromQueueError(error);
      Failed.push({
        Id: id,
        SenderFault: wire.statusCode < 500,
        Code: wire.queryErrorCode ?? error.code,
        Message: error.message,
      });
    }
  });
  return { Successful, Failed };
}
