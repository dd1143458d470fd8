import type { Observation } from "../engine/observations.js";
import { CausalChain } from "./causal-chain.js";
import type { EnvironmentInfo } from "./local-routes.js";
import type { StreamMessage } from "./observation-stream.js";

/** The environment at `url`, if one answers there quickly. */
export async function environmentAt(url: string): Promise<EnvironmentInfo | undefined> {
  try {
    const response = await fetch(`${url}/_local/info`, { signal: AbortSignal.timeout(1_000) });
    if (!response.ok) return undefined;
    return (await response.json()) as EnvironmentInfo;
  } catch {
    return undefined;
  }
}

export interface RemoteEntry {
  readonly EventBusName: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Resources: readonly string[];
}

/** PutEvents refused the request or the entry: the reason, as EventBridge words it. */
export class RemoteRefusal extends Error {
  override readonly name = "RemoteRefusal";
}

export interface RemoteSendResult {
  readonly eventId: string;
  /** What the event caused, in the order it happened (the event first). */
  readonly observations: readonly Observation[];
  /** False when `waitMs` ran out before everything settled. */
  readonly settled: boolean;
}

/**
 * Puts one event on a running environment through its PutEvents endpoint and follows its
 * observation stream until the environment is idle again: what the event caused, nothing else.
 * Subscribes first, so nothing the event causes can happen unseen.
 */
export async function sendToRunning(
  url: string,
  entry: RemoteEntry,
  waitMs: number,
): Promise<RemoteSendResult> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), waitMs);
  try {
    const stream = await fetch(`${url}/_local/stream`, { signal: abort.signal });
    if (!stream.ok || !stream.body) {
      throw new Error(`${url}/_local/stream answered ${stream.status}`);
    }
    const messages = readMessages(stream.body);
    // The first frame is the ": ready" comment: from then on, the stream carries everything.
    const ready = await messages.next();
    if (ready.done) throw new Error(`${url}/_local/stream ended at once`);

    const eventId = await putEvent(url, entry, abort.signal);
    const chain = new CausalChain(eventId);
    const observations: Observation[] = [];
    let seen = false;
    try {
      for await (const message of messages) {
        if (message.kind === "idle") {
          // An idle from before the event's own observation is about earlier work.
          if (seen) return { eventId, observations, settled: true };
          continue;
        }
        if (message.kind === "comment") continue;
        if (!chain.includes(message)) continue;
        seen = true;
        observations.push(message);
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
    return { eventId, observations, settled: false };
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

async function putEvent(url: string, entry: RemoteEntry, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSEvents.PutEvents",
    },
    body: JSON.stringify({ Entries: [entry] }),
    signal,
  });
  const answer = (await response.json()) as {
    __type?: string;
    message?: string;
    Entries?: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
  };
  if (!response.ok) throw new RemoteRefusal(`${answer.__type}: ${answer.message}`);
  const [result] = answer.Entries ?? [];
  if (!result?.EventId) {
    throw new RemoteRefusal(`the event was refused: ${result?.ErrorCode}: ${result?.ErrorMessage}`);
  }
  return result.EventId;
}

/** Server-Sent Events' data frames as messages; a comment frame (": ready") as a marker. */
async function* readMessages(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<StreamMessage | { kind: "comment" }> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf("\n\n");
      if (frame.startsWith(":")) {
        yield { kind: "comment" };
        continue;
      }
      const data = frame
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice("data: ".length))
        .join("\n");
      if (data) yield JSON.parse(data) as StreamMessage;
    }
  }
}
