import { describe, expect, it } from "vitest";
import type { BusEvent } from "../../src/bus-event.js";
import { SqliteEventLog } from "../../src/state/event-log.js";
import { StateDatabase } from "../../src/state/state-database.js";
import { testEvent } from "./test-event.js";

function makeLog() {
  let now = Date.UTC(2026, 10, 30);
  const log = new SqliteEventLog(new StateDatabase(":memory:"), () => now);
  return { log, advance: (ms: number) => (now += ms) };
}

describe("the event log's retention", () => {
  it("drops entries older than the retention, in small batches, oldest first", () => {
    const { log, advance } = makeLog();
    for (let i = 0; i < 700; i++)
      log.append({ kind: "bus", bus: "b", event: testEvent(`old-${i}`) });
    advance(2 * 3_600_000);
    log.append({ kind: "bus", bus: "b", event: testEvent("new") });
    const retention = { maxAgeSeconds: 3600, maxEntries: 100_000 };
    expect(log.prune(retention)).toBe(500);
    expect(log.prune(retention)).toBe(200);
    expect(log.prune(retention)).toBe(0);
    expect(log.latest(10).map((e) => (e.observation as { event: BusEvent }).event.id)).toEqual([
      "new",
    ]);
  });

  it("keeps at most maxEntries, the newest", () => {
    const { log } = makeLog();
    for (let i = 0; i < 30; i++) log.append({ kind: "bus", bus: "b", event: testEvent(`e${i}`) });
    while (log.prune({ maxAgeSeconds: 86_400, maxEntries: 10 }) > 0);
    const kept = log.after(0, 100);
    expect(kept).toHaveLength(10);
    expect((kept[0]?.observation as { event: BusEvent } | undefined)?.event.id).toBe("e20");
  });

  it("traces a destination's event back to its cause, and a subtree from the middle", () => {
    const { log } = makeLog();
    const functionArn = "arn:aws:lambda:us-east-1:000000000000:function:f";
    log.append({ kind: "bus", bus: "b", event: testEvent("root") });
    log.append({ kind: "bus", bus: "b", event: testEvent("unrelated") });
    log.append({
      kind: "invocation",
      phase: "start",
      eventId: "root",
      requestId: "r1",
      functionArn,
      service: "f",
      attempt: 1,
    });
    log.append({ kind: "log", service: "f", requestId: "r1", line: "START RequestId: x" });
    log.append({
      kind: "destination",
      requestId: "r1",
      functionArn,
      condition: "Success",
      destinationArn: "arn:aws:events:us-east-1:000000000000:event-bus/b",
      delivered: true,
      eventId: "child",
    });
    log.append({
      kind: "bus",
      bus: "b",
      event: testEvent("child"),
      cause: { eventId: "root", requestId: "r1", functionArn },
    });
    expect(log.trace("root").map((e) => e.observation.kind)).toEqual([
      "bus",
      "invocation",
      "log",
      "destination",
      "bus",
    ]);
    expect(log.trace("child").map((e) => e.observation.kind)).toEqual(["bus"]);
    expect(log.trace("nothing")).toEqual([]);
  });
});
