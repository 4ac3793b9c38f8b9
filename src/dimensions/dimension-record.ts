import { DimensionNameError, DimensionValueError } from "../errors.ts";
import { Timespan } from "../time/timespan.ts";
import { didYouMean } from "../util/suggest.ts";
import type { ColumnSpec } from "./dimension-config.ts";
import { Dimension, type DimensionElement } from "./elements.ts";

/**
 * A value in a dimension record: a key or metadata value, `null` when absent, a {@link Timespan}, or the
 * encoded bytes of a region (daf_butler's sphgeom encoding; decoded by the spatial module).
 */
export type RecordValue = string | number | boolean | Uint8Array | Timespan | null;

/**
 * One row of a dimension element's table (a visit, a detector), with its fields in daf_butler's order.
 * Frozen; made with {@link DimensionRecord.make}, which checks names and types.
 */
export class DimensionRecord {
  readonly element: DimensionElement;
  readonly #values: readonly RecordValue[];

  private constructor(element: DimensionElement, values: readonly RecordValue[]) {
    this.element = element;
    this.#values = values;
    Object.freeze(this);
  }

  /**
   * A record of `element` from a mapping of field names (`instrument`, `id`, `physical_filter`, ...) to
   * values. Absent metadata fields are `null`.
   * @throws {DimensionNameError} for a field the element does not have.
   * @throws {DimensionValueError} for a missing key, or a value of the wrong type.
   */
  static make(element: DimensionElement, fields: Readonly<Record<string, unknown>>): DimensionRecord {
    for (const name of Object.keys(fields)) {
      if (!element.recordFields.includes(name)) {
        throw new DimensionNameError(`Unknown field "${name}" for a ${element.name} record`, {
          hint: didYouMean(name, element.recordFields) ?? `Fields: ${element.recordFields.join(", ")}.`,
        });
      }
    }
    const specs = recordFieldSpecs(element);
    const values = element.recordFields.map((name) =>
      checkField(element, name, fields[name], specs.get(name)),
    );
    return new DimensionRecord(element, Object.freeze(values));
  }

  /** Field names, in order. */
  get fields(): readonly string[] {
    return this.element.recordFields;
  }

  /**
   * The value of a field.
   * @throws {DimensionNameError} for a field the element does not have.
   */
  get(field: string): RecordValue {
    const index = this.element.recordFields.indexOf(field);
    if (index < 0) {
      throw new DimensionNameError(`Unknown field "${field}" for a ${this.element.name} record`, {
        hint: didYouMean(field, this.element.recordFields),
      });
    }
    return this.#values[index] as RecordValue;
  }

  /** The value of `dimension` in this record (its own key for the element's dimension), if it has one. */
  valueOf(dimension: string): RecordValue | undefined {
    const field = this.element.keyField(dimension);
    return field === undefined ? undefined : this.get(field);
  }

  /** Field names mapped to values, in field order. */
  toObject(): Record<string, RecordValue> {
    return Object.fromEntries(
      this.element.recordFields.map((name, i) => [name, this.#values[i] as RecordValue]),
    );
  }

  /** Whether both records belong to the same element and hold equal values. */
  equals(other: DimensionRecord): boolean {
    return (
      this.element === other.element &&
      this.#values.every((value, i) => recordValuesEqual(value, other.#values[i] ?? null))
    );
  }

  toString(): string {
    const parts = this.element.recordFields.map((name, i) => `${name}=${String(this.#values[i])}`);
    return `${this.element.name}(${parts.join(", ")})`;
  }
}

/** Whether two record values are equal (timespans and bytes by value). */
export function recordValuesEqual(a: RecordValue, b: RecordValue): boolean {
  if (a instanceof Timespan && b instanceof Timespan) return a.equals(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  return a === b;
}

/** What a record field holds: a key or metadata column, or the element's region or timespan. */
export type RecordFieldSpec = ColumnSpec | "region" | "timespan";

const specsByElement = new WeakMap<DimensionElement, ReadonlyMap<string, RecordFieldSpec>>();

/** The spec of every record field of `element`, by field name. */
export function recordFieldSpecs(element: DimensionElement): ReadonlyMap<string, RecordFieldSpec> {
  let specs = specsByElement.get(element);
  if (specs === undefined) {
    specs = computeFieldSpecs(element);
    specsByElement.set(element, specs);
  }
  return specs;
}

function computeFieldSpecs(element: DimensionElement): Map<string, RecordFieldSpec> {
  const specs = new Map<string, RecordFieldSpec>();
  for (const dimension of element.dimensions) {
    specs.set(element.keyField(dimension.name) as string, dimension.primaryKey);
  }
  if (element instanceof Dimension) for (const key of element.alternateKeys) specs.set(key.name, key);
  for (const column of element.metadata) specs.set(column.name, column);
  if (element.recordFields.includes("region")) specs.set("region", "region");
  if (element.recordFields.includes("timespan")) specs.set("timespan", "timespan");
  return specs;
}

function checkField(
  element: DimensionElement,
  name: string,
  value: unknown,
  spec: RecordFieldSpec | undefined,
): RecordValue {
  const where = `field "${name}" of a ${element.name} record`;
  if (value === undefined || value === null) {
    if (spec !== undefined && typeof spec !== "string" && !spec.nullable) {
      throw new DimensionValueError(`Missing value for ${where}`);
    }
    return null;
  }
  const wrong = (expected: string): never => {
    throw new DimensionValueError(
      `Invalid value ${JSON.stringify(value) ?? String(value)} for ${where}: expected ${expected}`,
    );
  };
  switch (typeof spec === "string" ? spec : spec?.type) {
    case "int":
      return typeof value === "number" && Number.isSafeInteger(value) ? value : wrong("an integer");
    case "float":
      return typeof value === "number" ? value : wrong("a number");
    case "string":
      return typeof value === "string" ? value : wrong("a string");
    case "bool":
      return typeof value === "boolean" ? value : wrong("true or false");
    case "hash":
    case "region":
      return value instanceof Uint8Array ? value : wrong("bytes");
    case "timespan":
      return value instanceof Timespan ? value : wrong("a Timespan");
    default:
      return wrong("no value");
  }
}
