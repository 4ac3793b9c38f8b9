import {
  DataCoordinate,
  type DataIdValue,
  formatValue,
  splitField,
} from "../../dimensions/data-coordinate.ts";
import { Dimension } from "../../dimensions/elements.ts";
import { DataIdValueError, DimensionValueError, InconsistentDataIdError } from "../../errors.ts";
import { groupBy } from "../../util/group-by.ts";
import type { SqlValue } from "./database.ts";
import type { DimensionRecordStore } from "./managers/dimension-records.ts";

/**
 * Fill the dimension values a data ID gives only through alternate keys or other record fields
 * (`exposure.obs_id`, a detector's `full_name`) by looking the records up; the constraints stay on the
 * data ID so that expansion checks them again against the records it attaches.
 * @throws {DataIdValueError} when no record matches.
 * @throws {DimensionValueError} when several records match.
 * @throws {InconsistentDataIdError} when a match contradicts a value given directly.
 */
export async function resolveConstraints(
  dataId: DataCoordinate,
  records: DimensionRecordStore,
): Promise<DataCoordinate> {
  const constraints = Object.entries(dataId.constraints);
  if (constraints.length === 0 || dataId.isComplete) return dataId;
  const group = dataId.dimensions;
  const values = new Map<string, DataIdValue>(Object.entries(dataId.mapping));
  const byElement = groupBy(constraints, ([field]) => splitField(field)[0]);
  let progress = true;
  while (progress) {
    progress = false;
    for (const [elementName, fields] of byElement) {
      const element = group.universe.element(elementName);
      if (element instanceof Dimension && values.has(element.name)) continue;
      const known: Record<string, SqlValue> = {};
      for (const dimension of element.required) {
        const value = values.get(dimension.name);
        if (value !== undefined && dimension !== element)
          known[element.keyField(dimension.name) as string] = value;
      }
      for (const [field, value] of fields) known[splitField(field)[1]] = value;
      const matches = await records.findByFields(element, known);
      const described = Object.entries(known)
        .map(([k, v]) => `${k}=${formatValue(v)}`)
        .join(", ");
      if (matches.length === 0) {
        throw new DataIdValueError(`No ${elementName} record has ${described}`, {
          hint: "Check the values, or give the ID directly.",
        });
      }
      if (matches.length > 1) {
        throw new DimensionValueError(
          `${matches.length} ${elementName} records have ${described}; the data ID is ambiguous`,
          {
            hint: "Give more values (for example the instrument) or the ID directly.",
          },
        );
      }
      const record = matches[0] as NonNullable<(typeof matches)[0]>;
      for (const dimension of element.dimensions) {
        if (!group.hasDimension(dimension.name)) continue;
        const found = record.valueOf(dimension.name);
        const given = values.get(dimension.name);
        if (given !== undefined && found !== given) {
          throw new InconsistentDataIdError(
            `Data ID ${dataId} has ${dimension.name}=${formatValue(given)} but the ${elementName} record with ${described} has ${formatValue(found)}`,
          );
        }
        if (typeof found === "string" || typeof found === "number") values.set(dimension.name, found);
      }
      byElement.delete(elementName);
      progress = true;
    }
  }
  return new DataCoordinate(
    group,
    group.dataCoordinateKeys.map((name) => values.get(name)),
    dataId.constraints,
  );
}
