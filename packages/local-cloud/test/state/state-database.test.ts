import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { SCHEMA_VERSION, StateDatabase, StateFileError } from "../../src/state/state-database.js";

const folder = mkdtempSync(join(tmpdir(), "state-database-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the state file", () => {
  it("creates the schema in a new file, in WAL mode, with its version", () => {
    const state = new StateDatabase(join(folder, "new", "app.sqlite"));
    expect(state.version).toBe(SCHEMA_VERSION);
    expect(state.db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    state.close();
  });

  it("refuses a file of a newer schema with one line naming the file and both versions", () => {
    const file = join(folder, "newer.sqlite");
    const raw = new DatabaseSync(file);
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    let error: unknown;
    try {
      new StateDatabase(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect((error as Error).message).not.toContain("\n");
  });

  it("keeps what a transaction wrote only when it commits", () => {
    const state = new StateDatabase(":memory:");
    state.db.exec("CREATE TABLE t (x INTEGER)");
    expect(() =>
      state.transaction(() => {
        state.db.exec("INSERT INTO t VALUES (1)");
        throw new Error("no");
      }),
    ).toThrow("no");
    state.transaction(() => state.transaction(() => state.db.exec("INSERT INTO t VALUES (2)")));
    expect(state.db.prepare("SELECT x FROM t").all()).toEqual([{ x: 2 }]);
    state.close();
  });
});
