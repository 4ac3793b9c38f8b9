import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import { CommandLineError } from "../errors.ts";
import type { DatasetQueryResults } from "../query/query.ts";
import type { Registry } from "../registry/registry.ts";
import { isGlob } from "../util/glob.ts";
import { limitPlan } from "./query-options.ts";
import { defaultSortKeys } from "./sort-rows.ts";

/** What `query-datasets` and `associate` search for. */
export interface DatasetSearchRequest {
  /** Dataset type names or globs; none means every type (daf_butler warns). */
  readonly datasetTypes: readonly string[];
  /** Collection names or globs, in search order; none means every collection (daf_butler warns). */
  readonly collections: readonly string[];
  readonly where?: string | undefined;
  readonly bind?: Readonly<Record<string, unknown>>;
  readonly findFirst: boolean;
  /** ORDER BY terms applied to each dataset type's query; none means the default sort. */
  readonly orderBy: readonly string[];
  /** daf_butler's CLI limit over all types together: 0 all, N at most N, -N at most N with a warning. */
  readonly limit: number;
}

/** The datasets found for one dataset type. */
export interface DatasetGroup {
  readonly datasetType: DatasetType;
  readonly refs: readonly DatasetRef[];
}

/** What a search found, with what to tell the user about it. */
export interface DatasetSearchResult {
  /** One group per dataset type searched, by type name (groups may be empty). */
  readonly groups: readonly DatasetGroup[];
  /** Whether a negative limit cut rows off. */
  readonly truncated: boolean;
  /** Why nothing was found, when nothing was. */
  readonly reasons: readonly string[];
  /** daf_butler's FutureWarnings for a search without dataset types or collections. */
  readonly warnings: readonly string[];
}

/** daf_butler's warning for a search with no dataset type. */
export const NO_DATASET_TYPES_WARNING =
  "No dataset types specified.  Explicitly specifying dataset types will become mandatory after v28. Specify '*' to match the current behavior of querying all dataset types.";

/** daf_butler's warning for a search with no collection. */
export const NO_COLLECTIONS_WARNING =
  "No --collections specified.  The --collections argument will become mandatory after v28.";

/**
 * The registered dataset types named or matched by the patterns (every type when there are none),
 * sorted by name, with a reason for each glob that matches nothing.
 * @throws {MissingDatasetTypeError} for a name (not a glob) that is not registered.
 */
export async function resolveDatasetTypes(
  registry: Registry,
  patterns: readonly string[],
): Promise<{ types: DatasetType[]; unmatched: string[] }> {
  if (patterns.length === 0) return { types: await registry.datasetTypes.query([]), unmatched: [] };
  const byName = new Map<string, DatasetType>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const found = isGlob(pattern)
      ? await registry.datasetTypes.query([pattern])
      : [await registry.datasetTypes.get(pattern)];
    if (found.length === 0) unmatched.push(`No dataset types match "${pattern}".`);
    for (const type of found) byName.set(type.name, type);
  }
  const types = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { types, unmatched };
}

/** The SQL order that makes a limited search keep the rows the default sort shows first. */
function defaultOrder(registry: Registry, type: DatasetType): string[] {
  return [`${type.name}.run`, ...defaultSortKeys(registry.universe, type.dimensions.dataCoordinateKeys)];
}

/**
 * Search datasets the way daf_butler's `butler query-datasets` does: each matching dataset type in
 * turn (by name), in the collections (all when none are given, which a find-first search refuses),
 * with the `where` expression, until the limit is reached.
 * @throws {CommandLineError} for a find-first search without collections.
 * @throws {MissingDatasetTypeError} @throws {MissingCollectionError} @throws {InvalidQueryError}
 * @throws {CalibrationLookupError}
 */
export async function searchDatasets(
  registry: Registry,
  request: DatasetSearchRequest,
): Promise<DatasetSearchResult> {
  const warnings: string[] = [];
  if (request.collections.length === 0) {
    if (request.findFirst) {
      throw new CommandLineError("--find-first needs --collections: the first collection found wins", {
        hint: "Name the collections to search, in order, with --collections.",
      });
    }
    warnings.push(NO_COLLECTIONS_WARNING);
  }
  if (request.datasetTypes.length === 0) warnings.push(NO_DATASET_TYPES_WARNING);
  const collections = request.collections.length === 0 ? ["*"] : request.collections;
  const { types, unmatched } = await resolveDatasetTypes(registry, request.datasetTypes);
  const plan = limitPlan(request.limit);
  const searches: (DatasetGroup & { refs: DatasetRef[]; results: DatasetQueryResults })[] = [];
  let found = 0;
  for (const datasetType of types) {
    if (plan.fetch !== undefined && found >= plan.fetch) break;
    let results = registry
      .query()
      .datasets(datasetType.name, collections, { findFirst: request.findFirst })
      .where(request.where ?? "", request.bind)
      .orderBy(...(request.orderBy.length > 0 ? request.orderBy : defaultOrder(registry, datasetType)));
    if (plan.fetch !== undefined) results = results.limit(plan.fetch - found);
    const refs = await results.toArray();
    found += refs.length;
    searches.push({ datasetType, refs, results });
  }
  const truncated = plan.warn && plan.keep !== undefined && found > plan.keep;
  if (truncated) searches.findLast((s) => s.refs.length > 0)?.refs.pop();
  const reasons = [...unmatched];
  if (found === 0) for (const search of searches) reasons.push(...(await search.results.explainNoResults()));
  return {
    groups: searches.map(({ datasetType, refs }) => ({ datasetType, refs })),
    truncated,
    reasons,
    warnings,
  };
}
