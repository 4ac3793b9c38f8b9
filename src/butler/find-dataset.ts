import { DatasetRef } from "../datasets/dataset-ref.ts";
import { type DatasetType, splitDatasetTypeName } from "../datasets/dataset-type.ts";
import { DataCoordinate } from "../dimensions/data-coordinate.ts";
import { standardizeDataId } from "../dimensions/standardize-data-id.ts";
import { DatasetNotFoundError, EmptyQueryResultError, NoDefaultCollectionError } from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import type { DataIdArgument, DatasetTypeOrRef, SearchOptions } from "./butler.ts";
import { resolveDataId } from "./resolve-data-id.ts";

/** What a butler read needs of the butler: its registry and defaults. */
export interface ButlerDefaults {
  readonly registry: Registry;
  readonly collections: readonly string[];
  readonly run: string | null;
  /** Default data ID values (`instrument`), added where a data ID has none. */
  readonly dataId: Readonly<Record<string, unknown>>;
}

/** A dataset type argument resolved: the registered parent type and the component asked for. */
export interface ResolvedType {
  readonly type: DatasetType;
  readonly component: string | null;
}

/**
 * The registered dataset type of a name (`calexp`, `calexp.wcs`) or type.
 * @throws {MissingDatasetTypeError} when the parent type is not registered.
 */
export async function resolveDatasetType(
  registry: Registry,
  arg: string | DatasetType,
): Promise<ResolvedType> {
  const [parent, component] = splitDatasetTypeName(typeof arg === "string" ? arg : arg.name);
  return { type: await registry.datasetTypes.get(parent), component };
}

/**
 * The collections to search: the given ones or the butler's defaults.
 * @throws {NoDefaultCollectionError} when there are none.
 */
export function searchPath(defaults: ButlerDefaults, options: SearchOptions): readonly string[] {
  const given = options.collections;
  const collections =
    given === undefined ? defaults.collections : typeof given === "string" ? [given] : given;
  if (collections.length === 0) {
    throw new NoDefaultCollectionError(
      "No collections to search, and the butler has no default collections",
      {
        hint: "Pass collections (--collections on the command line), or open the butler with collections or a run.",
      },
    );
  }
  return collections;
}

/** The data ID as daf_butler prints one (`{instrument: 'Cam1', detector: 3}`), values typed by the universe. */
function describeDataId(type: DatasetType, dataId: DataIdArgument): string {
  try {
    return String(standardizeDataId(type.dimensions.universe, dataId));
  } catch {
    const entries = dataId instanceof Map ? [...dataId] : Object.entries(dataId as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")}}`;
  }
}

/**
 * Find the dataset a read asks for: a ref is taken as given; otherwise the dataset type, data ID and
 * collections are searched (find-first, calibrations by the data ID's time).
 * @throws {DatasetNotFoundError} naming the type, data ID and collections, with the reason as the hint.
 */
export async function findDatasetOrThrow(
  defaults: ButlerDefaults,
  arg: DatasetTypeOrRef,
  dataId: DataIdArgument,
  options: SearchOptions,
): Promise<{ ref: DatasetRef; component: string | null }> {
  if (arg instanceof DatasetRef) return { ref: arg, component: arg.datasetType.component };
  const { type, component } = await resolveDatasetType(defaults.registry, arg);
  const collections = searchPath(defaults, options);
  const ref = await lookup(defaults.registry, type, dataId, collections, options);
  if (ref !== null) return { ref, component };
  throw new DatasetNotFoundError(
    `Dataset ${type.name} with data ID ${describeDataId(type, dataId)} could not be found in collections [${collections.map((c) => `'${c}'`).join(", ")}]`,
    { hint: await explainMissing(defaults.registry, type, dataId, collections) },
  );
}

/** The first dataset of a type and data ID in the collections, or null. */
export async function lookup(
  registry: Registry,
  type: DatasetType,
  dataId: DataIdArgument,
  collections: readonly string[],
  options: SearchOptions,
): Promise<DatasetRef | null> {
  const resolved = await resolveForLookup(registry, type, dataId, options);
  const timespan = options.timespan ?? resolved.timespan ?? undefined;
  return registry.datasets.find(type.name, resolved.dataId, {
    collections,
    ...(timespan === undefined ? {} : { timespan }),
  });
}

async function resolveForLookup(
  registry: Registry,
  type: DatasetType,
  dataId: DataIdArgument,
  options: SearchOptions,
): Promise<{ dataId: DataCoordinate | DataIdArgument; timespan: SearchOptions["timespan"] | null }> {
  const wantTimespan = type.isCalibration && options.timespan === undefined;
  if (!wantTimespan && isCompleteFor(type, dataId)) return { dataId, timespan: null };
  return resolveDataId(registry, type, dataId, { expand: false, wantTimespan });
}

/** Whether a plain data ID gives every required dimension of the type directly (the fast path). */
function isCompleteFor(type: DatasetType, dataId: DataIdArgument): boolean {
  if (dataId instanceof DataCoordinate) {
    return dataId.isComplete && type.dimensions.isSubsetOf(dataId.dimensions);
  }
  const keys = dataId instanceof Map ? dataId : new Map(Object.entries(dataId));
  return type.dimensions.required.every((d) => keys.get(d) !== undefined);
}

async function explainMissing(
  registry: Registry,
  type: DatasetType,
  dataId: DataIdArgument,
  collections: readonly string[],
): Promise<string> {
  try {
    const input = dataId instanceof DataCoordinate ? dataId.mapping : dataId;
    await registry.queryDatasets(type.name, {
      collections,
      dataId: input as Record<string, unknown>,
      limit: 1,
    });
    return `Run "butler query-datasets REPO ${type.name} --collections ${collections.join(",")}" to see what exists.`;
  } catch (error) {
    if (error instanceof EmptyQueryResultError && error.reasons.length > 0) return error.reasons.join(" ");
    if (error instanceof Error) return error.message;
    return String(error);
  }
}
