import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatasetRef } from "../../src/datasets/dataset-ref.ts";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import type { Registry } from "../../src/registry/registry.ts";
import { openRegistry } from "../../src/repository/open-registry.ts";
import { parseTime } from "../../src/time/parse-time.ts";
import { Timespan } from "../../src/time/timespan.ts";
import { describeWithFixtures, fixturePath } from "../support/shared-fixtures.ts";
import { copySmallRepo } from "../support/temp-repo.ts";

const expected = (name: string) =>
  JSON.parse(readFileSync(fixturePath("repos", "small-expected", name), "utf8"));

/** A ref as daf_butler's answer files show it: type, run, id and the required data ID values. */
function asAnswer(ref: DatasetRef): Record<string, unknown> {
  return { ...ref.dataId.required, id: ref.id, run: ref.run, type: ref.datasetType.name };
}

function schemaOf(path: string): Map<string, string> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").all();
    return new Map(rows.map((row) => [String(row.name), String(row.sql)]));
  } finally {
    db.close();
  }
}

function attributesOf(path: string): unknown[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare("SELECT name, value FROM butler_attributes ORDER BY name").all();
  } finally {
    db.close();
  }
}

describeWithFixtures("a repository made by daf_butler (repos/small)", () => {
  let repo: { path: string; cleanup: () => void };
  let registry: Registry;

  beforeAll(async () => {
    repo = copySmallRepo();
    registry = await openRegistry(repo.path, { writeable: true });
  });

  afterAll(async () => {
    await registry?.close();
    repo?.cleanup();
  });

  it("lists daf_butler's collections", async () => {
    const infos = await Promise.all(
      (await registry.collections.query()).map((name) => registry.collections.getInfo(name)),
    );
    expect(infos.map(({ name, type, children }) => ({ children, name, type }))).toEqual(
      expected("collections.json"),
    );
  });

  it("lists daf_butler's dataset types", async () => {
    const types = await registry.datasetTypes.query();
    expect(
      types.map((t) => ({
        dimensions: t.dimensions.names,
        is_calibration: t.isCalibration,
        name: t.name,
        storage_class: t.storageClass,
      })),
    ).toEqual(expected("dataset_types.json"));
  });

  it("finds every dataset in every RUN and TAGGED collection", async () => {
    const collections = await registry.collections.query();
    const refs: DatasetRef[] = [];
    for (const type of await registry.datasetTypes.query())
      refs.push(...(await registry.datasets.query(type.name, { collections })));
    expect(refs.map(asAnswer)).toEqual(expected("datasets_all.json"));
  });

  it("finds flats first-match through the chain", async () => {
    const refs = await registry.datasets.query("flat", { collections: ["Cam1/defaults"], findFirst: true });
    expect(refs.map(asAnswer)).toEqual(expected("datasets_defaults_findfirst_flat.json"));
  });

  it("lists the TAGGED collection", async () => {
    const refs = await registry.datasets.query("flat", { collections: ["tagged/flats"] });
    expect(refs.map(asAnswer)).toEqual(expected("datasets_tagged.json"));
  });

  it("looks up the bias valid in the CALIBRATION collection on 2021-06-01", async () => {
    const when = Timespan.fromInstant(parseTime("2021-06-01T00:00:00/tai"));
    const ref = await registry.datasets.find(
      "bias",
      { instrument: "Cam1", detector: 2 },
      { collections: ["Cam1/calib"], timespan: when },
    );
    expect({ id: ref?.id }).toEqual(expected("calib_lookup_det2_2021-06.json"));
    expect(
      await registry.datasets.find(
        "bias",
        { instrument: "Cam1", detector: 2 },
        { collections: ["Cam1/calib"] },
      ),
    ).toBeNull();
  });

  it("writes without changing daf_butler's schema or attributes", async () => {
    const database = join(repo.path, "gen3.sqlite3");
    const originalSchema = schemaOf(fixturePath("repos", "small", "gen3.sqlite3"));
    const originalAttributes = attributesOf(fixturePath("repos", "small", "gen3.sqlite3"));

    expect(await registry.collections.register("u/ts/run", "RUN", "written by butler-ts")).toBe(true);
    const darks = DatasetType.make(registry.universe, {
      name: "dark",
      dimensions: ["instrument", "detector"],
      storageClass: "Exposure",
      isCalibration: true,
    });
    expect(await registry.datasetTypes.register(darks)).toBe(true);
    const refs = await registry.datasets.insert(
      "dark",
      [1, 2, 3, 4].map((detector) => ({ instrument: "Cam1", detector })),
      "u/ts/run",
    );
    await registry.collections.setChain("Cam1/defaults", [
      "u/ts/run",
      "u/test/notes",
      "imported_r",
      "imported_g",
    ]);
    const year = Timespan.between(parseTime("2022-01-01/tai"), parseTime("2023-01-01/tai"));
    await registry.calibrations.certify("Cam1/calib", refs, year);
    const found = await registry.datasets.find(
      "dark",
      { instrument: "Cam1", detector: 3 },
      {
        collections: ["Cam1/calib"],
        timespan: Timespan.fromInstant(parseTime("2022-06-01/tai")),
      },
    );
    expect(found?.id).toBe(refs[2]?.id);

    const schema = schemaOf(database);
    for (const [name, sql] of originalSchema) expect(schema.get(name), name).toBe(sql);
    const added = [...schema.keys()].filter((name) => !originalSchema.has(name));
    expect(added.filter((name) => !name.startsWith("butlerts_"))).toEqual([]);
    expect(attributesOf(database)).toEqual(originalAttributes);
  });
});
