import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { createRepository } from "../../src/repository/create-repository.ts";
import { describeEachBackend } from "../support/registry-backends.ts";
import { fixturePath } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

function read(path: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

const ATTRIBUTES = "SELECT name, value FROM butler_attributes ORDER BY name";

describeEachBackend(
  "a repository made by butler-ts",
  (backend) => {
    let dir: { path: string; cleanup: () => void };
    let root: string;
    let theirs: { path: string; cleanup: () => void };
    let options: Awaited<ReturnType<typeof backend.repositoryOptions>>;
    const itOnSqlite = backend.name === "sqlite" ? it : it.skip;
    const sqliteReason =
      backend.name === "sqlite"
        ? ""
        : " [skipped: it reads the SQLite file; postgres-ddl.test.ts compares the DDL with small_pg.sql]";

    beforeAll(async () => {
      dir = tempDir();
      root = join(dir.path, "repo");
      options = await backend.repositoryOptions();
      await (await createRepository(root, options)).close();
      theirs = await backend.smallRepository();
    });

    afterAll(() => {
      theirs?.cleanup();
      dir?.cleanup();
    });

    itOnSqlite(
      `has daf_butler's tables, byte for byte (before any dataset type adds its own)${sqliteReason}`,
      () => {
        const tables = (path: string) =>
          new Map(
            read(path, "SELECT name, sql FROM sqlite_master WHERE type = 'table'").map((r) => [
              String(r.name),
              String(r.sql),
            ]),
          );
        const mine = tables(join(root, "gen3.sqlite3"));
        const daf = tables(join(theirs.path, "gen3.sqlite3"));
        const datasetTables = [...daf.keys()].filter(
          (name) => name.startsWith("dataset_tags_") || name.startsWith("dataset_calibs_"),
        );
        expect([...mine.keys()].sort()).toEqual(
          [...daf.keys()].filter((n) => !datasetTables.includes(n)).sort(),
        );
        for (const [name, sql] of mine) expect(sql, name).toBe(daf.get(name));
      },
    );

    it("records the same managers, versions and universe as daf_butler", async () => {
      expect(await backend.rows(root, ATTRIBUTES)).toEqual(await backend.rows(theirs.path, ATTRIBUTES));
    });

    it("writes daf_butler's butler.yaml (with the PostgreSQL database and schema in registry:)", async () => {
      const ours = readFileSync(join(root, "butler.yaml"), "utf8");
      const daf = readFileSync(fixturePath("repos", "small", "butler.yaml"), "utf8");
      if (backend.name === "sqlite") {
        expect(ours).toBe(daf);
        return;
      }
      const expected = parse(daf) as { registry: Record<string, unknown> };
      const { db: _db, ...registry } = expected.registry;
      expect(parse(ours)).toEqual({
        ...expected,
        registry: { db: options.db, namespace: options.namespace, ...registry },
      });
    });
  },
  { fixtures: true },
);
