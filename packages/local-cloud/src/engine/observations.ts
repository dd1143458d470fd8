import type { BusEvent } from "../bus-event.js";

/** Attributes as SQS carries them. */
export type MessageAttributes = Record<string, { DataType: string; StringValue?: string }>;

/** What the environment reports as it happens; the CLI prints these. */
export type Observation =
  /** A bus received an event (put by a client, a destination, or another bus). */
  | { readonly kind: "bus"; readonly bus: string; readonly event: BusEvent }
  /** A queue received a message. */
  | {
      readonly kind: "queue";
      readonly queue: string;
      readonly body: string;
      readonly attributes: MessageAttributes;
    }
  /** Something the user should know that is neither: an event AWS would drop, a warning. */
  | { readonly kind: "notice"; readonly message: string };

export type Observer = (observation: Observation) => void;
