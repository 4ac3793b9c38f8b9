import { InvalidQueryError } from "../../../errors.ts";
import { constrainedValues } from "../../../query/tree/constrained-values.ts";
import type { Predicate } from "../../../query/tree/expressions.ts";
import type { DatasetSearch } from "../../../query/tree/query-tree.ts";
import { globToRegExp, isGlob } from "../../../util/glob.ts";
import type { CollectionRecord, CollectionStore } from "../managers/collections.ts";
import type { DatasetTypeRecord } from "../managers/dataset-types.ts";
import type { CollectionSummaries } from "../managers/summaries.ts";

/** The collections one dataset search looks in, and those it skips with the reason. */
export interface SearchPath {
  /** Collections that may hold matching datasets, in search order. */
  readonly collections: readonly CollectionRecord[];
  /** Every collection the search names, flattened, in order (before skipping). */
  readonly flattened: readonly CollectionRecord[];
  /** Why each skipped collection cannot hold a match (daf_butler's "doomed" messages). */
  readonly skipped: readonly string[];
}

function formatValues(governor: string, values: ReadonlySet<string | number>): string {
  const quoted = [...values].map((v) => (typeof v === "string" ? `'${v}'` : String(v)));
  return quoted.length === 1 ? `${governor}=${quoted[0]}` : `${governor} in (${quoted.join(", ")})`;
}

/**
 * Resolve a dataset search's collections: glob patterns expanded (sorted; not allowed in a find-first
 * search, whose order matters), chains flattened in order, and collections skipped when their summary
 * shows they hold no dataset of the type, or none with the governor values (`instrument`) the
 * predicate requires.
 * @throws {MissingCollectionError} for an unknown collection name.
 * @throws {InvalidQueryError} for a pattern in a find-first search.
 */
export async function resolveSearchPath(
  search: DatasetSearch,
  type: DatasetTypeRecord,
  predicate: Predicate,
  findFirst: boolean,
  stores: { readonly collections: CollectionStore; readonly summaries: CollectionSummaries },
): Promise<SearchPath> {
  const names: string[] = [];
  for (const entry of search.collections) {
    if (!isGlob(entry)) {
      names.push(entry);
      continue;
    }
    if (findFirst) {
      throw new InvalidQueryError(
        `Collection pattern "${entry}" cannot be used in a find-first search for ${search.datasetType}`,
        {
          hint: "A find-first search needs an ordered list of collections: name them, or a chain, instead of a pattern.",
        },
      );
    }
    const pattern = globToRegExp(entry);
    const matches = (await stores.collections.all()).filter(
      (c) => pattern.test(c.name) && c.type !== "CHAINED",
    );
    names.push(...matches.map((c) => c.name).sort());
  }
  const flattened = [];
  for (const name of await stores.collections.flatten(names))
    flattened.push(await stores.collections.get(name));
  const governors = type.datasetType.dimensions.governors;
  const summaries = await stores.summaries.read(
    flattened.map((c) => c.id),
    governors,
  );
  const wanted = governors.flatMap((governor) => {
    const values = constrainedValues(predicate, governor);
    return values === undefined ? [] : [{ governor, values }];
  });
  const collections: CollectionRecord[] = [];
  const skipped: string[] = [];
  for (const collection of flattened) {
    const summary = summaries.get(collection.id);
    if (summary === undefined || !summary.datasetTypeIds.has(type.id)) {
      skipped.push(`No datasets of type '${search.datasetType}' in collection '${collection.name}'.`);
      continue;
    }
    const excluded = wanted.find(({ governor, values }) => {
      const held = summary.governors.get(governor);
      return held !== undefined && ![...values].some((v) => held.has(String(v)));
    });
    if (excluded !== undefined) {
      skipped.push(
        `No datasets with ${formatValues(excluded.governor, excluded.values)} in collection '${collection.name}'.`,
      );
      continue;
    }
    collections.push(collection);
  }
  return { collections, flattened, skipped };
}
