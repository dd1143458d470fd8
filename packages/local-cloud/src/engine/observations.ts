import type { BusEvent } from "../bus-event.js";

/** Attributes as SQS carries them. */
export type MessageAttributes = Record<string, { DataType: string; StringValue?: string }>;

/** What put an event on a bus, when it was not a client's PutEvents. */
export type EventCause =
  /** A Lambda destination: the invocation record of the event that caused it. */
  | { readonly eventId: string; readonly requestId: string; readonly functionArn: string }
  /** A bus-to-bus target: the upstream event (same id, as EventBridge forwards it as it is). */
  | { readonly eventId: string; readonly ruleArn: string };

type InvocationOutcome = "success" | "function-error" | "service-error";

/** What the environment reports as it happens; the CLI prints these, the event log keeps them. */
export type Observation =
  /** A bus received an event (put by a client, a destination, another bus or a replay). */
  | {
      readonly kind: "bus";
      readonly bus: string;
      readonly event: BusEvent;
      readonly cause?: EventCause;
    }
  /** An event matched a rule: it goes to these targets (ARNs). */
  | {
      readonly kind: "match";
      readonly bus: string;
      readonly eventId: string;
      readonly rule: string;
      readonly ruleArn: string;
      readonly targets: readonly string[];
    }
  /**
   * One attempt of an asynchronous invocation. `requestId` is the asynchronous invocation's,
   * the same across its retries; `eventId` is the event it is for (the payload's `id` when the
   * target gets the event as it is).
   */
  | {
      readonly kind: "invocation";
      readonly phase: "start";
      readonly eventId?: string;
      readonly requestId: string;
      readonly functionArn: string;
      readonly service: string;
      readonly attempt: number;
    }
  | {
      readonly kind: "invocation";
      readonly phase: "end";
      readonly eventId?: string;
      readonly requestId: string;
      readonly functionArn: string;
      readonly service: string;
      readonly attempt: number;
      readonly outcome: InvocationOutcome;
      readonly durationMs: number;
      readonly maxMemoryUsedMb?: number;
      readonly error?: { readonly errorType: string; readonly errorMessage: string };
      /** When another attempt follows: in seconds of AWS time (before the time scale). */
      readonly retryInSeconds?: number;
    }
  /** A line a function's runtime printed during an invocation. */
  | {
      readonly kind: "log";
      readonly service: string;
      readonly requestId: string;
      readonly line: string;
    }
  /** An invocation record sent (or not: `delivered` false) to a Lambda destination. */
  | {
      readonly kind: "destination";
      readonly requestId: string;
      readonly functionArn: string;
      readonly condition: string;
      readonly destinationArn: string;
      readonly delivered: boolean;
      /** The event put on a bus destination. */
      readonly eventId?: string;
    }
  /** A queue received a message. */
  | {
      readonly kind: "queue";
      readonly queue: string;
      readonly messageId: string;
      readonly body: string;
      readonly attributes: MessageAttributes;
      /** The event the message is about: a dead letter, or an invocation record's request. */
      readonly eventId?: string;
      /** The asynchronous invocation a destination record is about. */
      readonly requestId?: string;
    }
  /** Something the user should know that is none of those: an event AWS would drop, a warning. */
  | { readonly kind: "notice"; readonly message: string };

export type Observer = (observation: Observation) => void;
