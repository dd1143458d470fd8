import { describe, expect, it } from "vitest";
import { ArchiveStore } from "../../src/state/archive-store.js";
import { StateDatabase } from "../../src/state/state-database.js";
import { testEvent } from "./test-event.js";

describe("archives in the state file", () => {
  it("reads events back in order within a time window, page after page", () => {
    const archives = new ArchiveStore(new StateDatabase(":memory:"));
    for (let i = 0; i < 1200; i++) archives.keep("bus", "a", testEvent(`e${i}`), 1000 + i);
    archives.keep("bus", "other", testEvent("x"), 1500);
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
    for (let i = 0; i < 600; i++) archives.keep("bus", "a", testEvent(`old${i}`), 1000);
    archives.keep("bus", "a", testEvent("new"), 5000);
    archives.keep("bus", "b", testEvent("b-old"), 1000);
    expect(archives.prune("bus", "a", 2000)).toBe(500);
    expect(archives.prune("bus", "a", 2000)).toBe(100);
    expect(archives.prune("bus", "a", 2000)).toBe(0);
    expect([...archives.events("bus", "a")].map((e) => e.id)).toEqual(["new"]);
    expect([...archives.events("bus", "b")].map((e) => e.id)).toEqual(["b-old"]);
  });
});
