import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { defaultUniverse } from "../../src/dimensions/default-universe.ts";
import { ConflictingDefinitionError, DatabaseError } from "../../src/errors.ts";
import type { Registry } from "../../src/registry/registry.ts";
import type { Database } from "../../src/registry/sql/database.ts";
import { openPostgresDatabase } from "../../src/registry/sql/dialects/postgres/postgres-database.ts";
import { postgresDialect } from "../../src/registry/sql/dialects/postgres/postgres-dialect.ts";
import { openSqliteDatabase } from "../../src/registry/sql/dialects/sqlite/sqlite-database.ts";
import { sqliteDialect } from "../../src/registry/sql/dialects/sqlite/sqlite-dialect.ts";
import { createSqlRegistry, openSqlRegistry } from "../../src/registry/sql/sql-registry.ts";
import { parseTime } from "../../src/time/parse-time.ts";
import { Timespan } from "../../src/time/timespan.ts";
import {
  type PostgresCluster,
  postgresUnavailableReason,
  startPostgresCluster,
} from "../support/postgres-cluster.ts";
import { tempDir } from "../support/temp-repo.ts";

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const tai = (text: string) => parseTime(`${text}/tai`);

describe("SQLite transactions when another process holds the write lock", () => {
  let dir: { path: string; cleanup: () => void };
  let file: string;

  beforeAll(async () => {
    dir = tempDir();
    file = join(dir.path, "locked.sqlite3");
    const db = await openSqliteDatabase(file, sqliteDialect, { create: true });
    await db.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
    await db.close();
  });

  afterAll(() => dir.cleanup());

  it("transaction() waits the lock out, trying again with backoff past the busy timeout", async () => {
    const db = await openSqliteDatabase(file, sqliteDialect, {
      busyTimeoutMs: 10,
      retry: { attempts: 50, baseDelayMs: 10, maxDelayMs: 40 },
    });
    const other = new DatabaseSync(file);
    try {
      other.exec("BEGIN IMMEDIATE");
      setTimeout(() => other.exec("COMMIT"), 250);
      let runs = 0;
      await db.transaction(async (tx) => {
        runs++;
        await tx.run("INSERT INTO item (id, name) VALUES (?, ?)", [1, "one"]);
      });
      expect(runs).toBe(1);
      expect(await db.query("SELECT name FROM item")).toEqual([{ name: "one" }]);
    } finally {
      other.close();
      await db.close();
    }
  });

  it("gives up after the last attempt with a busy DatabaseError and a hint", async () => {
    const db = await openSqliteDatabase(file, sqliteDialect, {
      busyTimeoutMs: 1,
      retry: { attempts: 3, baseDelayMs: 1 },
    });
    const other = new DatabaseSync(file);
    try {
      other.exec("BEGIN IMMEDIATE");
      const error = await rejection(db.transaction((tx) => tx.run("DELETE FROM item")));
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ code: "DatabaseError", kind: "busy" });
      expect((error as DatabaseError).message).toMatch(
        new RegExp(
          `^Registry ${file}: a transaction lost to concurrent writers 3 times in a row; the last time: SQLite registry .*database is locked`,
        ),
      );
      expect((error as DatabaseError).hint).toMatch(/try again later, or write from fewer processes/);
    } finally {
      other.exec("ROLLBACK");
      other.close();
      await db.close();
    }
  });

  it("a unique violation in a transaction is a ConflictingDefinitionError naming the column", async () => {
    const db = await openSqliteDatabase(file, sqliteDialect);
    try {
      const error = await rejection(
        db.transaction((tx) => tx.run("INSERT INTO item (id, name) VALUES (?, ?)", [2, "one"])),
      );
      expect(error).toBeInstanceOf(ConflictingDefinitionError);
      expect(error).toMatchObject({ code: "ConflictingDefinitionError" });
      expect((error as Error).message).toContain("UNIQUE constraint failed: item.name");
      expect((error as Error).cause).toBeInstanceOf(DatabaseError);
    } finally {
      await db.close();
    }
  });
});

const unavailable = postgresUnavailableReason();
const describePostgres = unavailable === undefined ? describe : describe.skip;
const title = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

describePostgres(title("PostgreSQL transactions that lose to another writer"), () => {
  let cluster: PostgresCluster;
  let db: Database;
  let other: Database;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.psql("-c", "CREATE EXTENSION btree_gist");
    db = await openPostgresDatabase(cluster.url, postgresDialect, { namespace: "retry", create: true });
    other = await openPostgresDatabase(cluster.url, postgresDialect, { namespace: "retry" });
    await db.exec("CREATE TABLE pair (id integer PRIMARY KEY, v integer NOT NULL)");
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await other?.close();
    await cluster?.stop();
  });

  it("a deadlock is retried: both commit, the loser's body runs again after its rollback actions", async () => {
    await db.run("DELETE FROM pair");
    await db.insertRows(
      "pair",
      ["id", "v"],
      [
        [1, 0],
        [2, 0],
      ],
    );
    const aHolds = signal();
    const bHolds = signal();
    const runs = { a: 0, b: 0 };
    let undone = 0;
    const crossing = (name: "a" | "b", first: number, second: number, mine: ReturnType<typeof signal>) =>
      db.transaction(async (tx) => {
        runs[name]++;
        db.onRollback(() => undone++);
        await tx.exec("SET LOCAL deadlock_timeout = '50ms'");
        await tx.run("UPDATE pair SET v = v + $1 WHERE id = $2", [first, first]);
        if (runs[name] === 1) {
          mine.resolve();
          await (name === "a" ? bHolds : aHolds).promise;
        }
        await tx.run("UPDATE pair SET v = v + $1 WHERE id = $2", [first, second]);
      });
    await Promise.all([crossing("a", 1, 2, aHolds), crossing("b", 2, 1, bHolds)]);
    expect(runs.a + runs.b).toBe(3);
    expect(undone).toBe(1);
    expect(await db.query("SELECT id, v FROM pair ORDER BY id")).toEqual([
      { id: 1, v: 3 },
      { id: 2, v: 3 },
    ]);
  });

  it("a serialization failure is retried with a fresh snapshot", async () => {
    await db.run("DELETE FROM pair");
    await db.run("INSERT INTO pair (id, v) VALUES (1, 0)");
    let runs = 0;
    await db.transaction(async (tx) => {
      runs++;
      await tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      const [row] = await tx.query("SELECT v FROM pair WHERE id = 1");
      if (runs === 1) await other.run("UPDATE pair SET v = 100 WHERE id = 1");
      await tx.run("UPDATE pair SET v = $1 WHERE id = 1", [Number(row?.v) + 1]);
    });
    expect(runs).toBe(2);
    expect(await db.query("SELECT v FROM pair")).toEqual([{ v: 101 }]);
  });

  it("a unique violation in a transaction is a ConflictingDefinitionError naming the table and key", async () => {
    await db.run("DELETE FROM pair");
    await db.run("INSERT INTO pair (id, v) VALUES (1, 0)");
    const error = await rejection(db.transaction((tx) => tx.run("INSERT INTO pair (id, v) VALUES (1, 5)")));
    expect(error).toBeInstanceOf(ConflictingDefinitionError);
    expect((error as Error).message).toContain(
      'duplicate key value violates unique constraint "pair_pkey" in table "pair" (Key (id)=(1) already exists.)',
    );
    expect((error as ConflictingDefinitionError).hint).toMatch(/already in the repository/);
  });

  describe("two registries certifying overlapping ranges at once", () => {
    let first: Registry;
    let second: Registry;

    beforeAll(async () => {
      const created = await createSqlRegistry(
        await openPostgresDatabase(cluster.url, postgresDialect, { namespace: "calib", create: true }),
        defaultUniverse(),
      );
      await created.dimensions.insert("instrument", [{ name: "Cam1" }]);
      await created.dimensions.insert("detector", [
        { instrument: "Cam1", id: 1, full_name: "A" },
        { instrument: "Cam1", id: 2, full_name: "B" },
      ]);
      await created.datasetTypes.register(
        DatasetType.make(created.universe, {
          name: "bias",
          dimensions: ["detector"],
          storageClass: "Exposure",
          isCalibration: true,
        }),
      );
      await created.collections.register("calib", "CALIBRATION");
      await created.close();
      first = await openSqlRegistry(
        await openPostgresDatabase(cluster.url, postgresDialect, { namespace: "calib" }),
      );
      second = await openSqlRegistry(
        await openPostgresDatabase(cluster.url, postgresDialect, { namespace: "calib" }),
      );
    }, 60_000);

    afterAll(async () => {
      await first?.close();
      await second?.close();
    });

    it("the second waits for the first, then fails with ConflictingDefinitionError: one certification", async () => {
      await first.collections.register("bias/a", "RUN");
      await first.collections.register("bias/b", "RUN");
      const [a] = await first.datasets.insert("bias", [{ instrument: "Cam1", detector: 1 }], "bias/a");
      const [b] = await first.datasets.insert("bias", [{ instrument: "Cam1", detector: 1 }], "bias/b");
      const [warmup] = await first.datasets.insert("bias", [{ instrument: "Cam1", detector: 2 }], "bias/a");
      // Creates the history tables, so the race below is about the validity ranges only.
      await first.calibrations.certify("calib", [warmup as never], Timespan.fromInstant(tai("2020-01-01")));
      const inserted = signal();
      let secondOutcome: Promise<unknown> = Promise.resolve();
      await first.transaction(async () => {
        await first.calibrations.certify(
          "calib",
          [a as never],
          Timespan.fromNs(tai("2021-01-01"), tai("2021-06-01")),
        );
        inserted.resolve();
        // The second certifies while this one is uncommitted: it waits for the calibs table's lock, then
        // its overlap check sees this row.
        secondOutcome = rejection(
          second.calibrations.certify(
            "calib",
            [b as never],
            Timespan.fromNs(tai("2021-03-01"), tai("2021-09-01")),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      await inserted.promise;
      const error = await secondOutcome;
      expect(error).toBeInstanceOf(ConflictingDefinitionError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Cannot certify bias ${b?.id} for \\{instrument: 'Cam1', detector: 1\\} over .* in "calib": dataset ${a?.id} is already certified over`,
        ),
      );
      const live = await first.calibrations.list("calib", "bias");
      expect(live.map((c) => c.ref.id).sort()).toEqual([a?.id, warmup?.id].sort());
    });
  });
});
