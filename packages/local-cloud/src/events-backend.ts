import type { BusEvent } from "./bus-event.js";

/** A local event bus, as the PutEvents endpoint sees it. */
export interface LocalBusHandle {
  readonly name: string;
  readonly arn: string;
  /** Accepts an event that PutEvents has validated and filled in. */
  put(event: BusEvent): void;
}

/** What the PutEvents endpoint needs from the local environment. */
export interface EventsBackend {
  readonly account: string;
  readonly region: string;
  /** The bus with this name or ARN (PutEvents' `EventBusName` takes either), or undefined. */
  findBus(nameOrArn: string): LocalBusHandle | undefined;
}
