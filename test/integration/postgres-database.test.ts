import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseError } from "../../src/errors.ts";
import type { Database } from "../../src/registry/sql/database.ts";
import { openPostgresDatabase } from "../../src/registry/sql/dialects/postgres/postgres-database.ts";
import { postgresDialect } from "../../src/registry/sql/dialects/postgres/postgres-dialect.ts";
import { parseTime } from "../../src/time/parse-time.ts";
import { Timespan } from "../../src/time/timespan.ts";
import {
  type PostgresCluster,
  postgresUnavailableReason,
  startPostgresCluster,
} from "../support/postgres-cluster.ts";
import { fixturePath, fixturesAvailable } from "../support/shared-fixtures.ts";

const unavailable = postgresUnavailableReason();
const describePostgres = unavailable === undefined ? describe : describe.skip;
const title = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

/** The DatabaseError a promise rejects with. */
async function databaseError(promise: Promise<unknown>): Promise<DatabaseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseError);
  return error as DatabaseError;
}

describePostgres(title("PostgreSQL Database on a throwaway cluster"), () => {
  let cluster: PostgresCluster;
  let db: Database;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    db = await openPostgresDatabase(cluster.url, postgresDialect, {
      namespace: "exec",
      create: true,
      poolSize: 3,
    });
    await db.exec(`
      CREATE TABLE parent (id bigint PRIMARY KEY, name text NOT NULL UNIQUE, flag boolean, big bigint,
        uid uuid, span int8range, data bytea, CHECK (id > 0));
      CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint NOT NULL REFERENCES parent (id));
      CREATE TABLE numbers (n bigint PRIMARY KEY);
    `);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await cluster?.stop();
  });

  it("location names the URL and schema", () => {
    expect(db.location).toBe(`${cluster.url} (schema "exec")`);
  });

  it("run, query and insertRows round-trip values in node:sqlite's shapes", async () => {
    const uuid = "E15AB039-BC8B-4135-87C5-90902A7C0B22";
    const span = Timespan.between(parseTime("2020-01-01/tai"), parseTime("2022-01-01/tai"));
    const big = 2n ** 62n;
    const result = await db.run(
      "INSERT INTO parent (id, name, flag, big, uid, span, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      [
        1,
        "one",
        postgresDialect.encodeBool(true),
        big,
        postgresDialect.encodeUuid(uuid),
        ...postgresDialect.encodeTimespan(span),
        new Uint8Array([1, 2, 3]),
      ],
    );
    expect(result).toEqual({ changes: 1, lastInsertRowid: 1 });
    const [row] = await db.query("SELECT * FROM parent WHERE id = $1", [1]);
    expect(row).toMatchObject({ id: 1, name: "one", flag: 1, big });
    expect(postgresDialect.decodeUuid(row?.uid ?? null)).toBe(uuid.toLowerCase());
    expect(postgresDialect.decodeTimespan(row ?? {}, "span")).toEqual(span);
    expect(Buffer.from(row?.data as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
    const [asBigints] = await db.query("SELECT id FROM parent WHERE id = $1", [1], { bigints: true });
    expect(asBigints).toEqual({ id: 1n });
    const rows = Array.from({ length: 1234 }, (_, i) => [i + 1]);
    expect(await db.insertRows("numbers", ["n"], rows)).toBe(1234);
    expect(await db.insertRows("numbers", ["n"], rows.slice(0, 10), "ON CONFLICT DO NOTHING")).toBe(0);
    expect(await db.runMany("UPDATE numbers SET n = -n WHERE n = $1", [[1], [2], [99_999]])).toBe(2);
    expect(await db.query("SELECT count(*) AS c, sum(n) AS s FROM numbers WHERE n < 0")).toEqual([
      { c: 2, s: -3 },
    ]);
  });

  it("timespans, booleans and globs work in WHERE clauses", async () => {
    const inside = Timespan.fromInstant(parseTime("2021-06-01/tai"));
    const overlaps = postgresDialect.timespanOverlaps("span", 1);
    expect(
      await db.query(`SELECT id FROM parent WHERE ${overlaps}`, postgresDialect.encodeTimespan(inside)),
    ).toEqual([{ id: 1 }]);
    const unbounded = postgresDialect.encodeTimespan(Timespan.unbounded());
    expect(unbounded).toEqual(["[,)"]);
    expect(postgresDialect.decodeTimespan({ t: "(,)" }, "t")).toEqual(Timespan.unbounded());
    expect(postgresDialect.decodeTimespan({ t: "empty" }, "t")).toEqual(Timespan.empty());
    expect(
      await db.query("SELECT id FROM parent WHERE flag = $1", [postgresDialect.encodeBool(true)]),
    ).toHaveLength(1);
    for (const [pattern, hits] of [
      ["o*", 1],
      ["?ne", 1],
      ["o_e", 0],
      ["*", 1],
    ] as const) {
      const { sql, params } = postgresDialect.glob("name", pattern);
      expect(await db.query(`SELECT id FROM parent WHERE ${sql.replace("?", "$1")}`, params)).toHaveLength(
        hits,
      );
    }
  });

  it("pages() streams a result through a cursor and releases its connection when abandoned", async () => {
    const sizes: number[] = [];
    for await (const page of db.pages("SELECT n FROM numbers WHERE n > $1 ORDER BY n", [0], {
      pageSize: 500,
    })) {
      sizes.push(page.length);
    }
    expect(sizes).toEqual([500, 500, 232]);
    // More abandoned iterations than the pool has connections: each must give its connection back.
    for (let i = 0; i < 5; i++) {
      for await (const page of db.pages("SELECT n FROM numbers", [], { pageSize: 10 })) {
        expect(page).toHaveLength(10);
        break;
      }
    }
    expect(await db.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("transaction() commits, rolls back, and nests as savepoints", async () => {
    await db.transaction(async (tx) => {
      await tx.run("INSERT INTO parent (id, name) VALUES ($1, $2)", [2, "two"]);
      // The Database itself runs on the transaction's connection inside the body...
      expect(await db.query("SELECT id FROM parent WHERE id = 2")).toHaveLength(1);
      await expect(
        db.transaction(async (inner) => {
          await inner.run("INSERT INTO parent (id, name) VALUES ($1, $2)", [3, "three"]);
          throw new Error("undo the savepoint");
        }),
      ).rejects.toThrow("undo the savepoint");
      await db.run("INSERT INTO parent (id, name) VALUES ($1, $2)", [4, "four"]);
    });
    expect(await db.query("SELECT id FROM parent ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }, { id: 4 }]);
    await expect(
      db.transaction(async (tx) => {
        await tx.run("DELETE FROM parent WHERE id = $1", [4]);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.query("SELECT id FROM parent WHERE id = 4")).toHaveLength(1);
  });

  it("maps constraint violations and lock timeouts to DatabaseError kinds", async () => {
    const insert = "INSERT INTO parent (id, name) VALUES ($1, $2)";
    const unique = await databaseError(db.run(insert, [5, "one"]));
    expect(unique.kind).toBe("unique");
    expect(unique.message).toContain(`PostgreSQL registry ${db.location}: duplicate key value`);
    expect(unique.message).toContain(`(in: ${insert})`);
    expect((unique.cause as { code?: string }).code).toBe("23505");
    expect((await databaseError(db.run(insert, [-1, "minus"]))).kind).toBe("check");
    expect((await databaseError(db.run(insert, [6, null]))).kind).toBe("not-null");
    const orphan = db.run("INSERT INTO child (id, parent_id) VALUES ($1, $2)", [1, 999]);
    expect((await databaseError(orphan)).kind).toBe("foreign-key");
    expect((await databaseError(db.query("SELECT nonsense FROM parent"))).kind).toBe("other");
    // A second connection waits for a row the transaction holds, and gives up after its lock timeout.
    const busy = await db.transaction(async (tx) => {
      await tx.run("UPDATE parent SET name = $1 WHERE id = $2", ["uno", 1]);
      return databaseError(
        (async () => {
          const other = await openPostgresDatabase(cluster.url, postgresDialect, { namespace: "exec" });
          try {
            return await other.transaction(async (tx2) => {
              await tx2.exec("SET LOCAL lock_timeout = '100ms'");
              return tx2.run("UPDATE parent SET name = $1 WHERE id = $2", ["eins", 1]);
            });
          } finally {
            await other.close();
          }
        })(),
      );
    });
    expect(busy.kind).toBe("busy");
    expect(busy.hint).toMatch(/try again/);
  });

  it("a read-only database refuses writes", async () => {
    const reader = await openPostgresDatabase(cluster.url, postgresDialect, {
      namespace: "exec",
      readOnly: true,
    });
    try {
      expect(reader.writeable).toBe(false);
      expect((await databaseError(reader.transaction(async () => {}))).kind).toBe("readonly");
      expect((await databaseError(reader.run("DELETE FROM numbers"))).kind).toBe("readonly");
      expect(await reader.query("SELECT count(*) AS c FROM parent")).toEqual([{ c: 3 }]);
    } finally {
      await reader.close();
    }
  });

  it("says which URL it cannot reach, without the password", async () => {
    const noServer = await databaseError(
      openPostgresDatabase(
        "postgresql://postgres:s3cret@/butler?host=/nonexistent-socket-dir",
        postgresDialect,
      ),
    );
    expect(noServer.message).toContain(
      "Cannot connect to PostgreSQL registry postgresql://postgres@/butler?host=/nonexistent-socket-dir:",
    );
    expect(noServer.message).not.toContain("s3cret");
    const noDatabase = await databaseError(
      openPostgresDatabase(cluster.url.replace("/butler?", "/missing?"), postgresDialect),
    );
    expect(noDatabase.message).toMatch(/database "missing" does not exist/);
    expect(noDatabase.hint).toMatch(/createdb/);
    const noSchema = await databaseError(
      openPostgresDatabase(cluster.url, postgresDialect, { namespace: "absent" }),
    );
    expect(noSchema.message).toBe(
      `PostgreSQL registry ${cluster.url} (schema "absent"): schema "absent" does not exist`,
    );
  });

  describe.skipIf(!fixturesAvailable)("daf_butler's small_pg.sql dump", () => {
    let repo: Database;

    beforeAll(async () => {
      await cluster.psql("-c", "CREATE EXTENSION btree_gist");
      await cluster.psql("-f", fixturePath("repos", "small_pg.sql"));
      repo = await openPostgresDatabase(cluster.url, postgresDialect, {
        namespace: "small_pg",
        readOnly: true,
      });
    }, 120_000);

    afterAll(async () => {
      await repo?.close();
    });

    it("reads the collections", async () => {
      expect(
        await repo.query("SELECT collection_id, name, type FROM collection ORDER BY collection_id"),
      ).toEqual([
        { collection_id: 1, name: "imported_g", type: 1 },
        { collection_id: 2, name: "imported_r", type: 1 },
        { collection_id: 3, name: "Cam1/defaults", type: 3 },
        { collection_id: 4, name: "Cam1/calib", type: 4 },
      ]);
      expect(await repo.query(postgresDialect.tableExistsQuery, ["dataset_tags_00000002"])).toHaveLength(1);
    });

    it("finds daf_butler's 4 biases first through Cam1/defaults", async () => {
      const rows = await repo.query(
        `SELECT DISTINCT ON (t.detector) t.detector, t.dataset_id, c.name AS run
           FROM collection_chain ch
           JOIN collection parent ON parent.collection_id = ch.parent
           JOIN dataset_tags_00000002 t ON t.collection_id = ch.child
           JOIN dataset_type dt ON dt.id = t.dataset_type_id
           JOIN collection c ON c.collection_id = t.collection_id
          WHERE parent.name = $1 AND dt.name = $2
          ORDER BY t.detector, ch.position`,
        ["Cam1/defaults", "bias"],
      );
      expect(rows.map(({ detector, run }) => [detector, run])).toEqual([
        [1, "imported_g"],
        [2, "imported_r"],
        [3, "imported_r"],
        [4, "imported_r"],
      ]);
      expect(postgresDialect.decodeUuid(rows[0]?.dataset_id ?? null)).toBe(
        "e15ab039-bc8b-4135-87c5-90902a7c0b22",
      );
    });

    it("finds the bias certified in Cam1/calib for detector 2 at 2021-06-01", async () => {
      const at = Timespan.fromInstant(parseTime("2021-06-01/tai"));
      const rows = await repo.query(
        `SELECT c.dataset_id, c.timespan FROM dataset_calibs_00000002 c
           JOIN collection col ON col.collection_id = c.collection_id
          WHERE col.name = $1 AND c.detector = $2 AND ${postgresDialect.timespanOverlaps("c.timespan", 3)}`,
        ["Cam1/calib", 2, ...postgresDialect.encodeTimespan(at)],
        { bigints: true },
      );
      expect(rows).toHaveLength(1);
      expect(postgresDialect.decodeUuid(rows[0]?.dataset_id ?? null)).toBe(
        "51352db4-a47a-447c-b12d-a50b206b17cd",
      );
      expect(postgresDialect.decodeTimespan(rows[0] ?? {}, "timespan")).toEqual(
        Timespan.between(parseTime("2020-01-01/tai"), parseTime("2022-01-01/tai")),
      );
    });
  });
});
