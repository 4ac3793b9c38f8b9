import { DataIdValueError, InconsistentDataIdError } from "../errors.ts";
import { DataCoordinate, type DataIdValue, formatValue } from "./data-coordinate.ts";
import { DimensionRecord } from "./dimension-record.ts";
import { Dimension, type DimensionElement } from "./elements.ts";

/** Where dimension records come from when a data ID is expanded: a registry, a cache, a remote server. */
export interface DimensionRecordSource {
  /**
   * The record of `element` identified by `requiredValues` (values of `element.required`, in order), or
   * null when there is none.
   */
  fetchRecord(
    element: DimensionElement,
    requiredValues: readonly DataIdValue[],
  ): DimensionRecord | null | Promise<DimensionRecord | null>;
}

/**
 * Attach the dimension record of every element to a complete data ID, fetching them from `source` in
 * the group's lookup order so that implied values (a visit's physical_filter, then its band) are filled
 * from the records that imply them.
 *
 * @example await expandDataId(standardizeDataId(universe, { instrument: "HSC", visit: 903334 }), registry)
 * @throws {DimensionNameError} when the data ID is partial.
 * @throws {DataIdValueError} when a dimension value has no record.
 * @throws {InconsistentDataIdError} when a given value contradicts the records.
 */
export async function expandDataId(
  dataId: DataCoordinate,
  source: DimensionRecordSource,
): Promise<DataCoordinate> {
  if (dataId.hasRecords()) return dataId;
  dataId.requireComplete();
  const group = dataId.dimensions;
  const values = new Map<string, DataIdValue>(Object.entries(dataId.mapping));
  const records = new Map<string, DimensionRecord | null>();
  for (const name of group.lookupOrder) {
    const element = group.universe.element(name);
    const key = element.required.map((d) => values.get(d.name));
    if (key.includes(undefined)) {
      const unknown = element.required.filter((d) => !values.has(d.name)).map((d) => d.name);
      throw new DataIdValueError(
        `Cannot look up the ${name} record of data ID ${dataId}: ${unknown.join(", ")} unknown`,
      );
    }
    const record = element.hasOwnTable
      ? await source.fetchRecord(element, key as DataIdValue[])
      : computedRecord(element, key as DataIdValue[]);
    records.set(name, record);
    if (record === null) {
      if (element instanceof Dimension) {
        throw new DataIdValueError(
          `No ${name} record for ${element.required.map((d, i) => `${d.name}=${formatValue(key[i])}`).join(", ")}`,
          { hint: `Check the value, or insert the ${name} record first.` },
        );
      }
      continue;
    }
    for (const implied of element.implied) {
      if (!group.hasDimension(implied.name)) continue;
      const recorded = record.valueOf(implied.name);
      const given = values.get(implied.name);
      if (given !== undefined && recorded !== given) {
        throw new InconsistentDataIdError(
          `Data ID ${dataId} has ${implied.name}=${formatValue(given)} but ${name} ${formatValue(key.at(-1))} has ${implied.name}=${formatValue(recorded)}`,
        );
      }
      if (typeof recorded === "string" || typeof recorded === "number") values.set(implied.name, recorded);
    }
  }
  const full = group.dataCoordinateKeys.map((name) => values.get(name));
  return new DataCoordinate(group, full, dataId.constraints).expanded(records);
}

/** Records of elements without a table: an implied-union dimension (band) or a skypix pixel. */
function computedRecord(element: DimensionElement, key: readonly DataIdValue[]): DimensionRecord {
  const primaryKey = (element as Dimension).primaryKey.name;
  return DimensionRecord.make(element, { [primaryKey]: key.at(-1) });
}
