import type { DatasetType } from "../datasets/dataset-type.ts";
import { DataCoordinate } from "../dimensions/data-coordinate.ts";
import { type DataIdInput, standardizeDataId } from "../dimensions/standardize-data-id.ts";
import { DataIdValueError, DimensionValueError } from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import type { Timespan } from "../time/timespan.ts";
import type { DataIdArgument } from "./butler.ts";

/** A data ID of a dataset type as a butler call needs it, with the time its extra keys pin down. */
export interface ResolvedDataId {
  readonly dataId: DataCoordinate;
  /** The timespan of the records of keys beyond the type's dimensions (an exposure for a bias), or null. */
  readonly timespan: Timespan | null;
}

/** The input with the butler's default values (`instrument`) added where it has none. */
export function withDefaults(input: DataIdArgument | undefined, defaults: DataIdInput): DataIdArgument {
  const given = input ?? {};
  const defaultEntries = defaults instanceof Map ? [...defaults] : Object.entries(defaults);
  if (defaultEntries.length === 0) return given;
  if (given instanceof DataCoordinate) return given;
  const merged: Record<string, unknown> = Object.fromEntries(defaultEntries);
  for (const [key, value] of given instanceof Map ? given : Object.entries(given)) merged[key] = value;
  return merged;
}

function keysOf(input: DataIdArgument): string[] {
  if (input instanceof DataCoordinate) return [...input.dimensions.names, ...Object.keys(input.constraints)];
  return input instanceof Map ? [...input.keys()] : Object.keys(input);
}

/**
 * Resolve a user's data ID for a dataset type: alternate keys (`exposure.obs_id`) looked up, a missing
 * required dimension filled from the values that imply it when they pick exactly one record
 * (`physical_filter` from `band`), implied values and records attached (`expand`), and the timespan of
 * extra temporal keys computed for calibration lookups.
 * @throws {DataIdValueError} when no record matches. @throws {DimensionValueError} when several do.
 * @throws {DimensionNameError} when a required dimension cannot be determined.
 */
export async function resolveDataId(
  registry: Registry,
  type: DatasetType,
  input: DataIdArgument,
  options: { readonly expand: boolean; readonly wantTimespan: boolean },
): Promise<ResolvedDataId> {
  const universe = registry.universe;
  let coordinate = standardizeDataId(universe, input, { dimensions: type.dimensions });
  const extra = keysOf(input).filter(
    (key) => !key.includes(".") && universe.has(key) && !type.dimensions.hasDimension(key),
  );
  let timespan: Timespan | null = null;
  if (options.wantTimespan && extra.length > 0) {
    const whole = await registry.dimensions.expandDataId(input);
    timespan = whole.timespan;
    coordinate = whole.subset(type.dimensions);
  }
  if (!coordinate.isComplete && Object.keys(coordinate.constraints).length === 0) {
    coordinate = await fillFromImpliedValues(registry, coordinate);
  }
  if (options.expand || !coordinate.isComplete) {
    coordinate = await registry.dimensions.expandDataId(coordinate, { dimensions: type.dimensions.names });
  }
  return { dataId: coordinate.requireComplete(), timespan };
}

/** Fill missing required dimensions whose known implied values (and keys) match exactly one record. */
async function fillFromImpliedValues(
  registry: Registry,
  coordinate: DataCoordinate,
): Promise<DataCoordinate> {
  const values: Record<string, unknown> = { ...coordinate.mapping };
  for (const name of coordinate.missing) {
    const element = registry.universe.element(name);
    const known = Object.fromEntries(
      [...element.required, ...element.implied]
        .map((d) => d.name)
        .filter((d) => d !== name && values[d] !== undefined)
        .map((d) => [d, values[d]]),
    );
    if (Object.keys(known).length === 0 || element.implied.every((d) => values[d.name] === undefined))
      continue;
    const records = await registry.queryDimensionRecords(name, { dataId: known, explain: false, limit: 2 });
    const described = Object.entries(known)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(", ");
    if (records.length === 0) {
      throw new DataIdValueError(`No ${name} matches ${described}`, {
        hint: `Run "butler query-dimension-records REPO ${name}" to see the values that exist.`,
      });
    }
    if (records.length > 1) {
      throw new DimensionValueError(
        `More than one ${name} matches ${described}; give ${name} in the data ID`,
      );
    }
    values[name] = records[0]?.valueOf(name);
  }
  return standardizeDataId(registry.universe, values, { dimensions: coordinate.dimensions });
}
