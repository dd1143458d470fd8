import type { Observation } from "../engine/observations.js";

/**
 * Picks, from everything a running environment reports, what one event caused: the event
 * itself (on every bus it reaches), each invocation record whose request was in the chain
 * (destination events and failure records), and queue messages holding either.
 */
export class CausalChain {
  private readonly ids: Set<string>;

  constructor(eventId: string) {
    this.ids = new Set([eventId]);
  }

  /** Whether the observation belongs to the chain; records extend it. */
  includes(observation: Observation): boolean {
    switch (observation.kind) {
      case "bus":
        return this.take(observation.event);
      case "queue":
        return this.take(parse(observation.body));
      case "notice":
        return [...this.ids].some((id) => observation.message.includes(id));
      default:
        // Matches, invocations, log lines: `pnpm send` prints what reached buses and queues.
        return false;
    }
  }

  private take(value: unknown): boolean {
    const item = value as { id?: unknown; detail?: unknown; requestPayload?: unknown } | null;
    if (typeof item !== "object" || item === null) return false;
    if (typeof item.id === "string" && this.ids.has(item.id)) return true;
    // A destination event carries the record as its detail; a failure record comes as is.
    const record = (item.detail ?? item) as { requestPayload?: { id?: unknown } } | null;
    const cause = record?.requestPayload?.id;
    if (typeof cause !== "string" || !this.ids.has(cause)) return false;
    if (typeof item.id === "string") this.ids.add(item.id);
    return true;
  }
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
