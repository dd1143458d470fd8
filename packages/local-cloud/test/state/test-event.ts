import type { BusEvent } from "../../src/bus-event.js";

/** A bus event as PutEvents fills it in, told apart by its id (also its detail). */
export function testEvent(id: string): BusEvent {
  return {
    version: "0",
    id,
    "detail-type": "Details",
    source: "test",
    account: "000000000000",
    time: "2026-11-30T00:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { id },
  };
}
