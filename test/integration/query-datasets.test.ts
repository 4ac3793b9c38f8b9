import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatasetRef } from "../../src/datasets/dataset-ref.ts";
import {
  EmptyQueryResultError,
  InvalidQueryError,
  MissingCollectionError,
  MissingDatasetTypeError,
} from "../../src/errors.ts";
import type { Registry } from "../../src/registry/registry.ts";
import {
  byId,
  ExportOracle,
  fixtureRepository,
  type PlainDataset,
  plainRef,
  taiCalendarNs,
} from "../support/query-fixtures.ts";
import { describeEachBackend } from "../support/registry-backends.ts";

/** Ingest times: everything the import writes, then the datasets of RUN `later`. */
const IMPORTED_AT = taiCalendarNs("2020-06-01T00:00:00");
const LATER_AT = taiCalendarNs("2020-07-01T00:00:00");

/** Biases put in TAGGED `tagged`: detector 1 of imported_g, detector 2 of imported_r. */
const TAGGED = ["e15ab039-bc8b-4135-87c5-90902a7c0b22", "87f3e68d-258d-41b7-8ea5-edf3557ccb30"];

/**
 * daf_butler's find-first rule in plain JS: for each data ID (required values), the dataset of the first
 * collection in `collections` that has one.
 */
function findFirst(datasets: readonly PlainDataset[], collections: readonly string[]): PlainDataset[] {
  const found = new Map<string, PlainDataset>();
  for (const collection of collections) {
    for (const dataset of datasets) {
      if (dataset.run !== collection) continue;
      const key = JSON.stringify(Object.entries(dataset.dataId).sort());
      if (!found.has(key)) found.set(key, dataset);
    }
  }
  return byId([...found.values()]);
}

function plain(refs: readonly DatasetRef[]): PlainDataset[] {
  return byId(refs.map(plainRef));
}

describeEachBackend(
  "dataset queries on base.yaml + datasets.yaml",
  (backend) => {
    const oracle = new ExportOracle(["base.yaml", "datasets.yaml"]);
    let ingestTime = IMPORTED_AT;
    let repo: Awaited<ReturnType<typeof fixtureRepository>>;
    let registry: Registry;
    /** The exported datasets plus those of RUN `later` (biases of detectors 1 and 4). */
    let all: PlainDataset[];

    beforeAll(async () => {
      repo = await fixtureRepository(["base.yaml", "datasets.yaml"], {
        clock: () => ingestTime,
        backend,
      });
      registry = repo.registry;
      ingestTime = LATER_AT;
      await registry.collections.register("later", "RUN");
      const later = await registry.datasets.insert(
        "bias",
        [1, 4].map((detector) => ({ instrument: "Cam1", detector })),
        "later",
      );
      await registry.collections.register("tagged", "TAGGED");
      const tagged = await Promise.all(TAGGED.map((id) => registry.datasets.get(id)));
      await registry.datasets.associate("tagged", tagged as DatasetRef[]);
      await registry.collections.register("empty", "RUN");
      await registry.collections.register("gr", "CHAINED");
      await registry.collections.setChain("gr", ["imported_g", "imported_r"]);
      await registry.collections.register("rg", "CHAINED");
      await registry.collections.setChain("rg", ["imported_r", "imported_g"]);
      await registry.collections.register("nested", "CHAINED");
      await registry.collections.setChain("nested", ["later", "rg"]);
      all = [...oracle.datasets(), ...later.map(plainRef)];
    });
    afterAll(async () => {
      await repo?.cleanup();
    });

    it("finds first through collections in the order given, and the order changes the answer", async () => {
      const answers = new Map<string, PlainDataset[]>();
      for (const datasetType of ["bias", "flat"]) {
        const datasets = all.filter((d) => d.datasetType === datasetType);
        for (const collections of [
          ["imported_g", "imported_r"],
          ["imported_r", "imported_g"],
          ["gr"],
          ["rg"],
          ["nested"],
          ["later", "imported_g"],
          ["empty", "imported_r", "gr"],
        ]) {
          const flattened = await registry.collections.flatten(collections);
          const expected = findFirst(datasets, flattened);
          const refs = await registry.query().datasets(datasetType, collections).toArray();
          expect(plain(refs), `${datasetType} in ${collections}`).toEqual(expected);
          answers.set(`${datasetType} ${collections}`, expected);
        }
      }
      expect(answers.get("bias imported_g,imported_r")).not.toEqual(
        answers.get("bias imported_r,imported_g"),
      );
      expect(answers.get("bias gr")).toEqual(answers.get("bias imported_g,imported_r"));
      expect(answers.get("bias rg")).not.toEqual(answers.get("bias gr"));
    });

    it("searches a TAGGED collection like a RUN, its datasets keeping their RUN", async () => {
      const biases = all.filter((d) => d.datasetType === "bias");
      const inTag = biases.filter((d) => TAGGED.includes(d.id));
      const refs = await registry.query().datasets("bias", ["tagged", "imported_g"]).toArray();
      const taggedDetectors = new Set(inTag.map((d) => d.dataId.detector));
      expect(plain(refs)).toEqual(
        byId([
          ...inTag,
          ...biases.filter((d) => d.run === "imported_g" && !taggedDetectors.has(d.dataId.detector)),
        ]),
      );
      const viaTag = await registry
        .query()
        .datasets("bias", ["tagged", "imported_g"], { findFirst: false })
        .where("bias.collection = 'tagged'")
        .toArray();
      expect(plain(viaTag)).toEqual(byId(inTag));
      const viaRun = await registry
        .query()
        .datasets("bias", ["tagged", "imported_g"], { findFirst: false })
        .where("bias.collection = 'imported_g'")
        .toArray();
      expect(plain(viaRun)).toEqual(byId(biases.filter((d) => d.run === "imported_g")));
      const inRunR = await registry
        .query()
        .datasets("bias", ["tagged"], { findFirst: false })
        .where("run = 'imported_r'")
        .toArray();
      expect(plain(inRunR)).toEqual(byId(inTag.filter((d) => d.run === "imported_r")));
    });

    it("answers daf_butler's `query-datasets DS flat --collections imported_r --collections imported_g --find-first` sample", async () => {
      // cli-samples.md: every flat of both runs, since their data IDs differ by physical_filter.
      const refs = await registry.query().datasets("flat", ["imported_r", "imported_g"]).toArray();
      expect(refs.map((r) => r.id).sort()).toEqual(
        [
          "60c8a65c-7290-4c38-b1de-e3b1cdcf872d",
          "84239e7f-c41f-46d5-97b9-a27976b98ceb",
          "fd51bce1-2848-49d6-a378-f8a122f5139a",
          "d0bb04cd-d697-4a83-ba53-cdfcd58e3a0c",
          "c1296796-56c5-4acf-9b49-40d920c6f840",
          "393972aa-57ab-41c2-b3bc-03541ca6bc6e",
          "37185f04-1cea-4ddd-a065-a5e0be9e19de",
        ].sort(),
      );
    });

    it("without find-first returns every dataset of every collection once", async () => {
      for (const collections of [["imported_g", "imported_r", "later"], ["nested", "gr"], ["imported_*"]]) {
        const runs = new Set(await registry.collections.flatten(collections.filter((c) => !c.includes("*"))));
        if (collections.includes("imported_*")) for (const run of ["imported_g", "imported_r"]) runs.add(run);
        const refs = await registry.query().datasets("bias", collections, { findFirst: false }).toArray();
        expect(plain(refs), String(collections)).toEqual(
          byId(all.filter((d) => d.datasetType === "bias" && runs.has(d.run))),
        );
      }
      await expect(registry.query().datasets("bias", ["imported_*"]).toArray()).rejects.toThrow(
        'Collection pattern "imported_*" cannot be used in a find-first search for bias',
      );
    });

    it("constrains and orders by dataset fields: run, dataset_id, ingest_date", async () => {
      const biases = all.filter((d) => d.datasetType === "bias");
      const ingestOf = (d: PlainDataset) => (d.run === "later" ? LATER_AT : IMPORTED_AT);
      const cases: [string, Record<string, unknown> | undefined, (d: PlainDataset) => boolean][] = [
        ["bias.run = 'imported_r'", undefined, (d) => d.run === "imported_r"],
        [
          "run IN ('imported_g', 'later') AND instrument = 'Cam1' AND detector != 1",
          undefined,
          (d) => d.run !== "imported_r" && d.dataId.detector !== 1,
        ],
        [
          "bias.dataset_id = UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')",
          undefined,
          (d) => d.id === "e15ab039-bc8b-4135-87c5-90902a7c0b22",
        ],
        [
          "dataset_id IN (UUID('E255067D-DCC5-4F39-9824-0BAA5817D3E5'), UUID('87f3e68d258d41b78ea5edf3557ccb30'))",
          undefined,
          (d) =>
            ["e255067d-dcc5-4f39-9824-0baa5817d3e5", "87f3e68d-258d-41b7-8ea5-edf3557ccb30"].includes(d.id),
        ],
        [
          "ingest_date < T'2020-06-15T00:00:00/tai'",
          undefined,
          (d) => ingestOf(d) < taiCalendarNs("2020-06-15T00:00:00"),
        ],
        [
          "bias.ingest_date >= T'2020-06-15'",
          undefined,
          (d) => ingestOf(d) >= taiCalendarNs("2020-06-15T00:00:37"),
        ],
        [
          "ingest_date > :t AND bias.run = :r",
          { t: new Date("2020-06-30T00:00:00Z"), r: "later" },
          (d) => d.run === "later",
        ],
        ["bias.collection = 'imported_g'", undefined, (d) => d.run === "imported_g"],
      ];
      const collections = ["imported_g", "imported_r", "later"];
      for (const [where, bind, predicate] of cases) {
        const refs = await registry
          .query()
          .datasets("bias", collections, { findFirst: false })
          .where(where, bind)
          .toArray();
        expect(plain(refs), where).toEqual(byId(biases.filter(predicate)));
      }
      const ordered = await registry
        .query()
        .datasets("bias", collections, { findFirst: false })
        .orderBy("-ingest_date", "bias.run", "-detector")
        .toArray();
      expect(ordered.map((r) => [r.run, r.dataId.get("detector")])).toEqual(
        [...biases]
          .sort(
            (a, b) =>
              Number(ingestOf(b) - ingestOf(a)) ||
              (a.run < b.run ? -1 : a.run > b.run ? 1 : 0) ||
              (b.dataId.detector as number) - (a.dataId.detector as number),
          )
          .map((d) => [d.run, d.dataId.detector]),
      );
    });

    it("joins a dataset search into data ID and record queries, with its fields usable in where", async () => {
      const withBias = await registry
        .query()
        .joinDatasetSearch("bias", ["imported_r"])
        .dataIds(["detector"])
        .toArray();
      expect(withBias.map((d) => d.get("detector")).sort()).toEqual(
        all
          .filter((d) => d.datasetType === "bias" && d.run === "imported_r")
          .map((d) => d.dataId.detector)
          .sort(),
      );
      const both = await registry
        .query()
        .joinDatasetSearch("bias", ["imported_g"])
        .joinDatasetSearch("flat", ["imported_g"])
        .dimensionRecords("detector")
        .where("flat.run = 'imported_g'")
        .orderBy("-full_name")
        .toArray();
      const biasDetectors = new Set(
        oracle
          .datasets("bias")
          .filter((d) => d.run === "imported_g")
          .map((d) => d.dataId.detector),
      );
      const flatDetectors = new Set(
        oracle
          .datasets("flat")
          .filter((d) => d.run === "imported_g")
          .map((d) => d.dataId.detector),
      );
      expect(both.map((r) => r.get("full_name"))).toEqual(
        oracle
          .records("detector")
          .filter((r) => biasDetectors.has(r.id as number) && flatDetectors.has(r.id as number))
          .map((r) => r.full_name)
          .sort()
          .reverse(),
      );
      expect(() =>
        registry.query().joinDatasetSearch("bias", ["imported_g"]).joinDatasetSearch("bias", ["imported_r"]),
      ).toThrow(InvalidQueryError);
      await expect(registry.query().dataIds(["detector"]).where("bias.run = 'x'").toArray()).rejects.toThrow(
        'Dataset type "bias" is not part of this query',
      );
    });

    it("explains an empty result by the collection, summary or term that rules every row out", async () => {
      const explain = (collections: string[], where: string, findFirst = true) =>
        registry.query().datasets("bias", collections, { findFirst }).where(where).explainNoResults();
      expect(await explain(["imported_g"], "instrument = 'Cam1' AND detector = 7")).toEqual([
        "No dataset of type bias in collection imported_g matches detector = 7.",
      ]);
      expect(await explain(["imported_g", "empty"], "instrument = 'Cam1' AND detector = 4")).toEqual([
        "No datasets of type 'bias' in collection 'empty'.",
        "No dataset of type bias in collection imported_g matches detector = 4.",
      ]);
      expect(await explain(["empty"], "")).toEqual([
        "No datasets of type 'bias' in collection 'empty'.",
        "Search for dataset type 'bias' in ['empty'] is doomed to fail.",
      ]);
      expect(await explain(["gr"], "instrument = 'Cam2'")).toEqual([
        "No datasets with instrument='Cam2' in collection 'imported_g'.",
        "No datasets with instrument='Cam2' in collection 'imported_r'.",
        "Search for dataset type 'bias' in ['imported_g', 'imported_r'] is doomed to fail.",
      ]);
      expect(
        await explain(
          ["imported_g", "imported_r"],
          "detector = 1 AND bias.run = 'imported_r' AND instrument = 'Cam1'",
          false,
        ),
      ).toEqual([
        "No dataset of type bias in collections [imported_g, imported_r] matches detector = 1 AND bias.run = 'imported_r' together, though each alone matches something.",
      ]);
      expect(await explain(["imported_g"], "instrument = 'Cam1'")).toEqual([]);
      expect(
        await registry
          .query()
          .datasets("bias", ["imported_g"])
          .orderBy("detector")
          .limit(5, 3)
          .explainNoResults(),
      ).toEqual([
        `The offset 3 skips all ${all.filter((d) => d.datasetType === "bias" && d.run === "imported_g").length} matching rows.`,
      ]);
    });

    it("one-call helpers: find-first by default, EmptyQueryResultError with the reasons, and truncation", async () => {
      const refs = await registry.queryDatasets("bias", { collections: ["imported_r", "imported_g"] });
      expect(plain(refs)).toEqual(
        findFirst(
          all.filter((d) => d.datasetType === "bias"),
          ["imported_r", "imported_g"],
        ),
      );
      expect(refs.truncated).toBe(false);
      const every = await registry.queryDatasets("bias", {
        collections: ["imported_r", "imported_g"],
        findFirst: false,
      });
      expect(every.length).toBe(
        all.filter((d) => d.datasetType === "bias" && d.run.startsWith("imported")).length,
      );

      const options = { collections: ["imported_g"], where: "instrument = 'Cam1' AND detector = 7" };
      const error = await registry.queryDatasets("bias", options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmptyQueryResultError);
      expect((error as EmptyQueryResultError).code).toBe("EmptyQueryResultError");
      expect((error as EmptyQueryResultError).reasons).toEqual([
        "No dataset of type bias in collection imported_g matches detector = 7.",
      ]);
      expect((error as Error).message).toBe(
        "The query returned nothing: No dataset of type bias in collection imported_g matches detector = 7.",
      );
      const quiet = await registry.queryDatasets("bias", { ...options, explain: false });
      expect([...quiet]).toEqual([]);
      expect(quiet.truncated).toBe(false);

      const limited = await registry.queryDataIds(["detector"], {
        dataId: { instrument: "Cam1" },
        orderBy: "-detector",
        limit: 2,
      });
      expect(limited.map((d) => d.get("detector"))).toEqual([4, 3]);
      expect(limited.truncated).toBe(true);
      const exact = await registry.queryDataIds(["detector"], { dataId: { instrument: "Cam1" }, limit: 4 });
      expect(exact.length).toBe(4);
      expect(exact.truncated).toBe(false);
      const records = await registry.queryDimensionRecords("physical_filter", {
        where: "instrument = 'Cam1' AND band = 'r'",
        orderBy: ["-physical_filter"],
        limit: 1,
      });
      expect(records.map((r) => r.get("name"))).toEqual(["Cam1-R2"]);
      expect(records.truncated).toBe(true);
      await expect(
        registry.queryDimensionRecords("detector", { where: "instrument = 'Cam1' AND detector.raft = 'Z'" }),
      ).rejects.toThrow(EmptyQueryResultError);
    });

    it("names a missing collection or dataset type", async () => {
      await expect(registry.query().datasets("bias", ["nonesuch"]).toArray()).rejects.toBeInstanceOf(
        MissingCollectionError,
      );
      await expect(registry.query().datasets("nonesuch", ["imported_g"]).toArray()).rejects.toBeInstanceOf(
        MissingDatasetTypeError,
      );
      expect(() => registry.query().datasets("bias", [])).toThrow(
        "No collections given to search for datasets of type bias",
      );
    });
  },
  { fixtures: true },
);
