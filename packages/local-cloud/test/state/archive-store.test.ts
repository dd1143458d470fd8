import { describe, expect, it } from "vitest";
import type { BusEvent } from "../../src/bus-event.js";
import { ArchiveStore } from "../../src/state/archive-store.js";
import { StateDatabase } from "../../src/state/state-database.js";

const event = (id: string): BusEvent => ({
  version: "0",
  id,
  "detail-type": "Details",
  source: "test",
  account: "000000000000",
  time: "2026-11-30T00:00:00Z",
  region: "us-east-1",
  resources: [],
  detail: { id },
});

describe("archives in the state file", () => {
  it("reads events back in order within a time window, page after page", () => {
    const archives = new ArchiveStore(new StateDatabase(":memory:"));
    for (let i = 0; i < 1200; i++) archives.keep("bus", "a", event(`e${i}`), 1000 + i);
    archives.keep("bus", "other", event("x"), 1500);
    const all = [...archives.events("bus", "a")];
    expect(all).toHaveLength(1200);
    expect(all[1199]?.id).toBe("e1199");
    expect([...archives.events("bus", "a", 1100, 1103)].map((e) => e.id)).toEqual([
      "e100",
      "e101",
      "e102",
    ]);
  });

  it("prunes what is older than the retention, one batch at a time, archive by archive", () => {
    const archives = new ArchiveStore(new StateDatabase(":memory:"));
    for (let i = 0; i < 600; i++) archives.keep("bus", "a", event(`old${i}`), 1000);
    archives.keep("bus", "a", event("new"), 5000);
    archives.keep("bus", "b", event("b-old"), 1000);
    expect(archives.prune("bus", "a", 2000)).toBe(500);
    expect(archives.prune("bus", "a", 2000)).toBe(100);
    expect(archives.prune("bus", "a", 2000)).toBe(0);
    expect([...archives.events("bus", "a")].map((e) => e.id)).toEqual(["new"]);
    expect([...archives.events("bus", "b")].map((e) => e.id)).toEqual(["b-old"]);
  });
});
