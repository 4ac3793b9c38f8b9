import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, RegionError } from "../../src/errors.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { openRegistry } from "../../src/repository/open-registry.ts";
import { HtmPixelization } from "../../src/sphgeom/htm-pixelization.ts";
import { pixelsIn } from "../../src/sphgeom/pixel-ranges.ts";
import { ExportOracle, fixtureRepository } from "../support/query-fixtures.ts";
import { describeEachBackend } from "../support/registry-backends.ts";
import { fixturePath } from "../support/shared-fixtures.ts";
import { regionRecords } from "../support/spatial-oracle.ts";
import { tempDir } from "../support/temp-repo.ts";

/** The spatial elements of the default universe, with the columns of their overlap tables. */
const OVERLAP_TABLES: Readonly<Record<string, readonly string[]>> = {
  visit: ["instrument", "visit"],
  visit_detector_region: ["instrument", "visit", "detector"],
  tract: ["skymap", "tract"],
  patch: ["skymap", "tract", "patch"],
};

const SKYPIX = ["skypix_system", "skypix_level"];

function columnsOf(table: string): string[] {
  const element = table.replace(/_skypix_overlap(_summary)?$/, "");
  const keys = OVERLAP_TABLES[element] as readonly string[];
  return table.endsWith("_summary") ? [...SKYPIX, keys[0] as string] : [...SKYPIX, ...keys, "skypix_index"];
}

function selectAll(table: string): string {
  const columns = columnsOf(table);
  return `SELECT ${columns.join(", ")} FROM ${table} ORDER BY ${columns.join(", ")}`;
}

/** Rows as arrays of plain numbers and strings (PostgreSQL's JSON and SQLite's rows agree on these). */
function plain(rows: readonly Record<string, unknown>[], table: string): unknown[][] {
  return rows.map((row) =>
    columnsOf(table).map((c) => (typeof row[c] === "bigint" ? Number(row[c]) : row[c])),
  );
}

/** daf_butler's rows of a table of `repos/small` (made from base.yaml, datasets.yaml and spatial.yaml). */
function oracleRows(table: string): unknown[][] {
  const db = new DatabaseSync(fixturePath("repos", "small", "gen3.sqlite3"), { readOnly: true });
  try {
    return plain(db.prepare(selectAll(table)).all(), table);
  } finally {
    db.close();
  }
}

const TABLES = Object.keys(OVERLAP_TABLES).flatMap((e) => [
  `${e}_skypix_overlap`,
  `${e}_skypix_overlap_summary`,
]);

describeEachBackend(
  "skypix overlap rows written at dimension-record insert time",
  (backend) => {
    let repo: Awaited<ReturnType<typeof fixtureRepository>>;
    let registry: Registry;
    const rows = async (table: string, where = "") =>
      plain(await backend.rows(repo.root, selectAll(table).replace(" ORDER BY", `${where} ORDER BY`)), table);

    beforeAll(async () => {
      repo = await fixtureRepository(["base.yaml", "spatial.yaml"], { backend });
      registry = repo.registry;
    });
    afterAll(async () => {
      await repo?.cleanup();
    });

    describe("importing base.yaml + spatial.yaml gives daf_butler's rows", () => {
      for (const table of TABLES) {
        it(table, async () => {
          const expected = oracleRows(table);
          expect(expected.length).toBeGreaterThan(0);
          expect(await rows(table)).toEqual(expected);
        });
      }
    });

    it("replacing a record replaces its rows; a record without a region gets none", async () => {
      const visits = await registry.dimensions.fetchAll("visit");
      const [visit1, visit2] = visits.map((r) => r.toObject());
      const pixelsOf = async (visit: number) =>
        (await rows("visit_skypix_overlap", ` WHERE visit = ${visit}`)).map((r) => r[4]);
      const pixels2 = await pixelsOf(2);
      expect(await pixelsOf(1)).not.toEqual(pixels2);

      await registry.dimensions.insert("visit", [{ ...visit1, region: visit2?.region }], { replace: true });
      expect(await pixelsOf(1)).toEqual(pixels2);

      await registry.dimensions.insert("visit", [{ ...visit1, region: null }], { replace: true });
      expect(await pixelsOf(1)).toEqual([]);
      expect(await pixelsOf(2)).toEqual(pixels2);

      await registry.dimensions.sync("visit", visit1 as Record<string, unknown>, { update: true });
      expect(await rows("visit_skypix_overlap")).toEqual(oracleRows("visit_skypix_overlap"));
    });

    it("a region that does not decode rolls back the records and their rows", async () => {
      const [tract0] = (await registry.dimensions.fetchAll("tract")).map((r) => r.toObject());
      const before = await rows("tract_skypix_overlap");
      const error = await registry.dimensions
        .insert("tract", [
          { ...tract0, id: 7 },
          { ...tract0, id: 8, region: new Uint8Array([0x99, 1, 2, 3]) },
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegionError);
      expect((error as RegionError).code).toBe("RegionError");
      expect(await rows("tract_skypix_overlap")).toEqual(before);
      expect((await registry.dimensions.fetchAll("tract")).map((r) => r.get("id"))).toEqual([0, 1]);
    });
  },
  { fixtures: true },
);

describeEachBackend(
  "overlap rows at a repository's fine skypix level",
  (backend) => {
    let repo: Awaited<ReturnType<typeof fixtureRepository>>;
    const rows = async (table: string, where = "") =>
      plain(await backend.rows(repo.root, selectAll(table).replace(" ORDER BY", `${where} ORDER BY`)), table);
    /** The rows daf_butler would write at `level` for the fixture's records of an element. */
    const expectedRows = (element: string, level: number) => {
      const htm = HtmPixelization.of(level);
      return regionRecords(new ExportOracle(["base.yaml", "spatial.yaml"]), element)
        .flatMap(({ record, region }) => {
          // An element's own key is its record's `id`.
          const keys = (OVERLAP_TABLES[element] as readonly string[]).map(
            (k) => record[k === element ? "id" : k],
          );
          return pixelsIn(htm.envelope(region)).map((pixel) => ["htm", level, ...keys, pixel]);
        })
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    };

    beforeAll(async () => {
      repo = await fixtureRepository(["base.yaml", "spatial.yaml"], { backend, fineSkyPix: "htm9" });
    });
    afterAll(async () => {
      await repo?.cleanup();
    });

    it("keeps daf_butler's htm7 rows and adds the htm9 envelope of every region", async () => {
      for (const element of Object.keys(OVERLAP_TABLES)) {
        const table = `${element}_skypix_overlap`;
        expect(await rows(table, " WHERE skypix_level = 7")).toEqual(oracleRows(table));
        const fine = await rows(table, " WHERE skypix_level = 9");
        expect(fine.length).toBeGreaterThan(oracleRows(table).length);
        expect(fine.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
          expectedRows(element, 9),
        );
      }
    });

    it("remembers the level: a reopened registry writes its rows for new records", async () => {
      const reopened = await openRegistry(repo.root, { writeable: true });
      try {
        const [tract0] = (await reopened.dimensions.fetchAll("tract")).map((r) => r.toObject());
        await reopened.dimensions.insert("tract", [{ ...tract0, id: 5 }]);
        const levels = new Set((await rows("tract_skypix_overlap", " WHERE tract = 5")).map((r) => r[1]));
        expect([...levels].sort()).toEqual([7, 9]);
      } finally {
        await reopened.close();
      }
    });
  },
  { fixtures: true },
);

describe("choosing a fine skypix level", () => {
  it.each(["htm7", "htm12", "healpix9", "visit", "htm99"])("refuses %s with a ConfigError", async (name) => {
    const dir = tempDir("butler-fine-skypix-");
    try {
      const error = await createRepository(join(dir.path, "repo"), { fineSkyPix: name }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe("ConfigError");
      expect((error as Error).message).toBe(
        `"${name}" cannot be the fine skypix level of a repository with common skypix htm7`,
      );
      expect((error as ConfigError).hint).toBe("Use one of htm8, htm9, htm10, htm11.");
    } finally {
      dir.cleanup();
    }
  });
});
