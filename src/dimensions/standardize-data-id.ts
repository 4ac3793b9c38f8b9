import { DimensionNameError, DimensionValueError, InconsistentDataIdError } from "../errors.ts";
import { didYouMean } from "../util/suggest.ts";
import { DataCoordinate, type DataIdValue, formatValue } from "./data-coordinate.ts";
import type { ColumnSpec } from "./dimension-config.ts";
import { Dimension, type DimensionElement } from "./elements.ts";
import type { DimensionGroup } from "./group.ts";
import type { DimensionUniverse } from "./universe.ts";

/** Informal data ID input: dimension names (or `element.field` alternate keys) mapped to values. */
export type DataIdInput = Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>;

/** Options of {@link standardizeDataId}. */
export interface StandardizeOptions {
  /** The dimensions the data ID must identify; inferred from its keys when absent. */
  readonly dimensions?: DimensionGroup | Iterable<string>;
  /** Values used for dimensions the input lacks; never used to infer dimensions. */
  readonly defaults?: DataCoordinate;
  /** Values that win over the input's (daf_butler's keyword arguments). */
  readonly overrides?: DataIdInput;
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/**
 * Turn an informal data ID into a {@link DataCoordinate}: keys checked against the universe, values
 * checked against each dimension's key type (digit strings become integers), alternate keys such as
 * `exposure.obs_id` (or a detector given by its `full_name`) kept as constraints for a registry to
 * resolve. Missing required values make a `partial` data ID rather than an error; dimensions outside
 * the requested ones are dropped, as daf_butler does.
 *
 * @example standardizeDataId(universe, { instrument: "HSC", visit: 903334, detector: "16" })
 * @throws {DimensionNameError} for a key that is neither a dimension nor an `element.field` of the universe.
 * @throws {DimensionValueError} for a value of the wrong type.
 * @throws {InconsistentDataIdError} when one dimension is given two different values.
 */
export function standardizeDataId(
  universe: DimensionUniverse,
  dataId: DataIdInput | DataCoordinate = {},
  options: StandardizeOptions = {},
): DataCoordinate {
  const requested = options.dimensions === undefined ? undefined : universe.conform(options.dimensions);
  const overrides = options.overrides ?? EMPTY;
  if (dataId instanceof DataCoordinate && isEmpty(overrides)) {
    if (requested === undefined || requested === dataId.dimensions) return dataId;
    if (requested.isSubsetOf(dataId.dimensions)) return dataId.subset(requested);
  }
  const parsed = new ParsedDataId(universe);
  if (dataId instanceof DataCoordinate) {
    for (const [key, value] of Object.entries(dataId.mapping)) parsed.add(key, value);
    for (const [key, value] of Object.entries(dataId.constraints)) parsed.add(key, value);
  } else {
    parsed.addAll(dataId);
  }
  parsed.addAll(overrides, true);
  const group = requested ?? universe.conform(parsed.inferredDimensions());
  return parsed.toDataCoordinate(group, options.defaults);
}

const EMPTY: DataIdInput = Object.freeze({});

function isEmpty(input: DataIdInput): boolean {
  return input instanceof Map ? input.size === 0 : Object.keys(input).length === 0;
}

function entriesOf(input: DataIdInput): Iterable<[string, unknown]> {
  return input instanceof Map ? input.entries() : Object.entries(input);
}

/** Keys of one data ID sorted into dimension values and alternate-key constraints. */
class ParsedDataId {
  readonly #universe: DimensionUniverse;
  readonly #values = new Map<string, DataIdValue>();
  readonly #constraints = new Map<string, DataIdValue>();
  /** Elements named through constraints, for dimension inference. */
  readonly #constrainedElements = new Set<string>();

  constructor(universe: DimensionUniverse) {
    this.#universe = universe;
  }

  addAll(input: DataIdInput, override = false): void {
    for (const [key, value] of entriesOf(input)) this.add(key, value, override);
  }

  add(key: string, value: unknown, override = false): void {
    const universe = this.#universe;
    const dot = key.indexOf(".");
    if (dot < 0) {
      const element = universe.has(key) ? universe.element(key) : undefined;
      if (!(element instanceof Dimension)) throw unknownKey(universe, key);
      this.#addDimensionValue(element, value, key, override);
      return;
    }
    const elementName = key.slice(0, dot);
    const field = key.slice(dot + 1);
    if (!universe.has(elementName)) throw unknownKey(universe, key);
    const element = universe.element(elementName);
    const keyOf = element instanceof Dimension && field === element.primaryKey.name ? element : undefined;
    const dimension = keyOf ?? element.dimensions.find((d) => d.name === field && d !== element);
    if (dimension !== undefined) {
      this.#addDimensionValue(dimension, value, key, override);
      return;
    }
    const spec = constraintColumns(element).find((column) => column.name === field);
    if (spec === undefined) {
      const usable = constraintColumns(element).map((column) => column.name);
      throw new DimensionNameError(
        `Data ID key "${key}": "${field}" is not a field of ${elementName} usable in a data ID`,
        {
          hint:
            didYouMean(field, usable) ?? `Usable fields of ${elementName}: ${usable.join(", ") || "none"}.`,
        },
      );
    }
    this.#setConstraint(key, normalizeValue(value, spec.type, `data ID key "${key}"`), override);
    this.#constrainedElements.add(elementName);
  }

  inferredDimensions(): string[] {
    const names = [...this.#values.keys()];
    for (const elementName of this.#constrainedElements) {
      const element = this.#universe.element(elementName);
      names.push(...(element instanceof Dimension ? [element.name] : element.required.map((d) => d.name)));
    }
    return names;
  }

  toDataCoordinate(group: DimensionGroup, defaults: DataCoordinate | undefined): DataCoordinate {
    const values = group.dataCoordinateKeys.map((name) => {
      const value = this.#values.get(name);
      if (value !== undefined || defaults === undefined || !defaults.dimensions.hasDimension(name))
        return value;
      return defaults.get(name);
    });
    const constraints: Record<string, DataIdValue> = {};
    for (const [key, value] of this.#constraints) {
      if (group.hasElement(key.slice(0, key.indexOf(".")))) constraints[key] = value;
    }
    return new DataCoordinate(group, values, Object.freeze(constraints));
  }

  #addDimensionValue(dimension: Dimension, value: unknown, key: string, override: boolean): void {
    const where = `dimension "${dimension.name}"`;
    if (
      dimension.primaryKey.type === "int" &&
      typeof value === "string" &&
      !INTEGER_TEXT.test(value.trim())
    ) {
      // A name where an ID belongs: match it against the one string alternate key (detector "Ab" -> full_name).
      const alternates = dimension.alternateKeys.filter((k) => k.type === "string");
      if (alternates.length === 1) {
        const alternate = `${dimension.name}.${(alternates[0] as ColumnSpec).name}`;
        this.#setConstraint(alternate, value, override);
        this.#constrainedElements.add(dimension.name);
        return;
      }
    }
    const normalized = normalizeValue(value, dimension.primaryKey.type, where);
    const existing = this.#values.get(dimension.name);
    if (existing !== undefined && existing !== normalized && !override) {
      throw new InconsistentDataIdError(
        `Data ID gives two values for ${where}: ${formatValue(existing)} and ${formatValue(normalized)} (from "${key}")`,
      );
    }
    this.#values.set(dimension.name, normalized);
  }

  #setConstraint(key: string, value: DataIdValue, override: boolean): void {
    const existing = this.#constraints.get(key);
    if (existing !== undefined && existing !== value && !override) {
      throw new InconsistentDataIdError(
        `Data ID gives two values for "${key}": ${formatValue(existing)} and ${formatValue(value)}`,
      );
    }
    this.#constraints.set(key, value);
  }
}

/** Columns usable as data ID constraints: alternate keys, and int, float or string metadata. */
function constraintColumns(element: DimensionElement): ColumnSpec[] {
  const alternates = element instanceof Dimension ? element.alternateKeys : [];
  return [...alternates, ...element.metadata.filter((c) => c.type !== "hash" && c.type !== "bool")];
}

function unknownKey(universe: DimensionUniverse, key: string): DimensionNameError {
  const candidates = universe.dimensions.map((d) => d.name);
  if (universe.has(key)) {
    return new DimensionNameError(`Data ID key "${key}" is a dimension element but not a dimension`, {
      hint: `Give its dimensions instead: ${universe
        .element(key)
        .required.map((d) => d.name)
        .join(", ")}.`,
    });
  }
  return new DimensionNameError(`Unrecognized data ID key "${key}"`, {
    hint:
      didYouMean(key.split(".")[0] as string, candidates) ??
      "Keys are dimension names or element.field (exposure.obs_id).",
  });
}

/** Check a value against a column type; integer-looking strings become integers (data IDs from the CLI). */
function normalizeValue(value: unknown, type: ColumnSpec["type"], where: string): DataIdValue {
  switch (type) {
    case "int": {
      if (typeof value === "number" && Number.isSafeInteger(value)) return value;
      if (typeof value === "bigint" && value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER) {
        return Number(value);
      }
      if (typeof value === "string" && INTEGER_TEXT.test(value.trim())) {
        const parsed = Number(value.trim());
        if (Number.isSafeInteger(parsed)) return parsed;
      }
      throw invalid(value, where, "an integer");
    }
    case "float": {
      if (typeof value === "number" && Number.isFinite(value)) return value;
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
        return Number(value);
      throw invalid(value, where, "a number");
    }
    default:
      if (typeof value === "string") return value;
      throw invalid(value, where, "a string");
  }
}

/** A value for a message, whatever it is (JSON.stringify throws on bigints inside objects and on cycles). */
function show(value: unknown): string {
  if (typeof value === "string") return `"${value}"`;
  if (typeof value === "bigint") return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function invalid(value: unknown, where: string, expected: string): DimensionValueError {
  const shown = show(value);
  return new DimensionValueError(`Invalid value ${shown} for ${where}: expected ${expected}`, {
    hint: typeof value === "number" && expected === "a string" ? `Quote it: "${value}".` : undefined,
  });
}
