import { DataIdValueError, DimensionNameError, InconsistentDataIdError } from "../errors.ts";
import { Timespan } from "../time/timespan.ts";
import type { DimensionRecord, RecordValue } from "./dimension-record.ts";
import type { DimensionGroup } from "./group.ts";
import type { DimensionUniverse } from "./universe.ts";

/** The value of one dimension in a data ID: an integer or a string, by the dimension's key type. */
export type DataIdValue = string | number;

/**
 * How much a data ID knows: `partial` (some required value missing, perhaps given through an alternate key
 * still to be resolved), `required` (every required value), `full` (required and implied values), or
 * `expanded` (full, with the dimension record of every element attached).
 */
export type DataIdState = "partial" | "required" | "full" | "expanded";

/**
 * A data ID: values for the dimensions of a {@link DimensionGroup}, with its state visible.
 * Equality and {@link DataCoordinate.key} use the group and the required values only (plus pending
 * alternate-key constraints while partial), as in daf_butler. Frozen; every operation returns a new one.
 * Made by `standardizeDataId` (from user input) or the static factories here (from trusted values).
 */
export class DataCoordinate {
  /** The dimensions this data ID identifies. */
  readonly dimensions: DimensionGroup;
  /**
   * Values given through other record fields, still to be resolved by a registry into dimension values:
   * `{"exposure.obs_id": "HSCA90333400"}`.
   */
  readonly constraints: Readonly<Record<string, DataIdValue>>;
  readonly state: DataIdState;
  readonly #values: readonly (DataIdValue | undefined)[];
  readonly #records: ReadonlyMap<string, DimensionRecord | null> | null;

  /** @internal Use `standardizeDataId` or the static factories. */
  constructor(
    dimensions: DimensionGroup,
    values: readonly (DataIdValue | undefined)[],
    constraints: Readonly<Record<string, DataIdValue>> = EMPTY_CONSTRAINTS,
    records: ReadonlyMap<string, DimensionRecord | null> | null = null,
  ) {
    this.dimensions = dimensions;
    this.#values = values;
    this.constraints = constraints;
    this.#records = records;
    const requiredCount = dimensions.required.length;
    let known = 0;
    let knownRequired = 0;
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== undefined) {
        known++;
        if (i < requiredCount) knownRequired++;
      }
    }
    this.state =
      knownRequired < requiredCount
        ? "partial"
        : known < values.length
          ? "required"
          : records === null
            ? "full"
            : "expanded";
    Object.freeze(this);
  }

  /** The data ID of no dimensions (always expanded). */
  static makeEmpty(universe: DimensionUniverse): DataCoordinate {
    return new DataCoordinate(universe.empty, [], EMPTY_CONSTRAINTS, new Map());
  }

  /**
   * A data ID from values of `group.required`, in that order; no checking beyond the count.
   * @throws {DimensionNameError} when the number of values is wrong.
   */
  static fromRequiredValues(group: DimensionGroup, values: readonly DataIdValue[]): DataCoordinate {
    checkCount(group, values.length, group.required.length, "required");
    return new DataCoordinate(group, [...values, ...new Array<undefined>(group.implied.length)]);
  }

  /**
   * A data ID from values of `group.dataCoordinateKeys` (required then implied); no checking beyond the count.
   * @throws {DimensionNameError} when the number of values is wrong.
   */
  static fromFullValues(group: DimensionGroup, values: readonly DataIdValue[]): DataCoordinate {
    checkCount(group, values.length, group.dataCoordinateKeys.length, "required and implied");
    return new DataCoordinate(group, [...values]);
  }

  /** The universe of the data ID's dimensions. */
  get universe(): DimensionUniverse {
    return this.dimensions.universe;
  }

  /** Whether every required value is known (false while partial). */
  get isComplete(): boolean {
    return this.state !== "partial";
  }

  /** Whether implied values are known too. */
  hasFull(): boolean {
    return this.state === "full" || this.state === "expanded";
  }

  /** Whether a dimension record is attached for every element. */
  hasRecords(): boolean {
    return this.state === "expanded";
  }

  /**
   * The value of a dimension, or `undefined` when this data ID does not know it (yet).
   * @throws {DimensionNameError} when `name` is not one of the data ID's dimensions.
   */
  get(name: string): DataIdValue | undefined {
    const index = this.dimensions.keyIndex(name);
    if (index < 0) {
      throw new DimensionNameError(`Dimension "${name}" is not part of data ID ${this}`, {
        hint: `Its dimensions are ${this.dimensions}.`,
      });
    }
    return this.#values[index];
  }

  /** Required dimensions not yet known. */
  get missing(): readonly string[] {
    return this.dimensions.required.filter((_, i) => this.#values[i] === undefined);
  }

  /** Known values of the required dimensions. */
  get required(): Readonly<Record<string, DataIdValue>> {
    return this.#known(this.dimensions.required.length);
  }

  /** Every known value, required then implied. */
  get mapping(): Readonly<Record<string, DataIdValue>> {
    return this.#known(this.#values.length);
  }

  /** Required values in `dimensions.required` order (`undefined` where unknown). */
  get requiredValues(): readonly (DataIdValue | undefined)[] {
    return this.#values.slice(0, this.dimensions.required.length);
  }

  /**
   * A string identifying the data ID within its group, for use as a `Map` key: equal data IDs of the same
   * group have equal keys.
   */
  get key(): string {
    const required = this.requiredValues.map((v) =>
      typeof v === "string" ? `s${v}` : v === undefined ? "?" : `n${v}`,
    );
    const pending = this.isComplete ? "" : JSON.stringify(Object.entries(this.constraints).sort());
    return `${this.dimensions.names.join(",")}|${required.join("|")}${pending}`;
  }

  /**
   * The record of `element`, when expanded (null if the element has no record for these values).
   * @throws {DimensionNameError} when the data ID is not expanded or `element` is not one of its elements.
   */
  record(element: string): DimensionRecord | null {
    const record = this.#records?.get(element);
    if (record === undefined) {
      throw new DimensionNameError(
        this.#records === null
          ? `Data ID ${this} has no records attached`
          : `Element "${element}" is not part of data ID ${this}`,
        {
          hint:
            this.#records === null
              ? "Expand it first (expandDataId)."
              : `Its elements are ${this.dimensions.elements.join(", ")}.`,
        },
      );
    }
    return record;
  }

  /** The intersection of the timespans of the attached records, or null when none has one. */
  get timespan(): Timespan | null {
    let result: Timespan | null = null;
    for (const record of this.#records?.values() ?? []) {
      const value = record?.element.temporal ? record.get("timespan") : null;
      if (value instanceof Timespan) result = result === null ? value : result.intersection(value);
    }
    return result;
  }

  /** Whether both identify the same thing: same dimensions, same required values. */
  equals(other: DataCoordinate): boolean {
    return this.dimensions.equals(other.dimensions) && this.key === other.key;
  }

  /**
   * Throw unless every required value is known.
   * @throws {DimensionNameError} naming the missing dimensions.
   */
  requireComplete(): this {
    if (!this.isComplete) {
      const pending = Object.keys(this.constraints);
      throw new DimensionNameError(
        `No value in data ID ${this} for required dimension${this.missing.length > 1 ? "s" : ""} ${this.missing.map((m) => `"${m}"`).join(", ")}`,
        {
          hint:
            pending.length > 0
              ? `Resolve ${pending.join(", ")} with a registry (expandDataId) or give the dimension values directly.`
              : `Give values for ${this.missing.join(", ")}.`,
        },
      );
    }
    return this;
  }

  /**
   * The data ID of a subset of the dimensions.
   * @throws {DimensionNameError} when `dimensions` is not a subset of this data ID's dimensions.
   */
  subset(dimensions: DimensionGroup | Iterable<string>): DataCoordinate {
    const group = this.universe.conform(dimensions);
    if (group === this.dimensions) return this;
    const outside = group.names.filter((name) => !this.dimensions.hasDimension(name));
    if (outside.length > 0) {
      throw new DimensionNameError(
        `Cannot take ${group} from data ID ${this}: it has no ${outside.join(", ")}`,
      );
    }
    const values = group.dataCoordinateKeys.map((name) => this.#values[this.dimensions.keyIndex(name)]);
    const constraints = pickConstraints(this.constraints, group);
    const records =
      this.#records === null ? null : new Map(group.elements.map((e) => [e, this.#records?.get(e) ?? null]));
    return new DataCoordinate(group, values, constraints, values.includes(undefined) ? null : records);
  }

  /**
   * The data ID of the union of both dimension groups, with the values of both.
   * @throws {InconsistentDataIdError} when both give different values for the same dimension.
   */
  union(other: DataCoordinate): DataCoordinate {
    const group = this.dimensions.union(other.dimensions);
    const values = group.dataCoordinateKeys.map((name) => {
      const mine = this.dimensions.hasDimension(name) ? this.get(name) : undefined;
      const theirs = other.dimensions.hasDimension(name) ? other.get(name) : undefined;
      if (mine !== undefined && theirs !== undefined && mine !== theirs) {
        throw new InconsistentDataIdError(
          `Conflicting values for dimension "${name}": ${formatValue(mine)} in ${this} and ${formatValue(theirs)} in ${other}`,
        );
      }
      return mine ?? theirs;
    });
    const constraints: Record<string, DataIdValue> = { ...this.constraints };
    for (const [field, value] of Object.entries(other.constraints)) {
      const mine = constraints[field];
      if (mine !== undefined && mine !== value) {
        throw new InconsistentDataIdError(
          `Conflicting values for ${field}: ${formatValue(mine)} in ${this} and ${formatValue(value)} in ${other}`,
        );
      }
      constraints[field] = value;
    }
    let records: Map<string, DimensionRecord | null> | null = null;
    if (this.#records !== null && other.#records !== null) {
      const merged = new Map([...other.#records, ...this.#records]);
      if (group.elements.every((e) => merged.has(e))) records = merged;
    }
    return new DataCoordinate(
      group,
      values,
      Object.freeze(constraints),
      values.includes(undefined) ? null : records,
    );
  }

  /**
   * This data ID with a record attached for every element, implied values filled from the records and
   * alternate-key constraints checked against them.
   * @throws {DimensionNameError} when a required value is missing or a record is not given for an element.
   * @throws {InconsistentDataIdError} when a record contradicts a value or a constraint of the data ID.
   * @throws {DataIdValueError} when an implied value cannot be known because its record is absent.
   */
  expanded(records: ReadonlyMap<string, DimensionRecord | null>): DataCoordinate {
    this.requireComplete();
    const values = [...this.#values];
    const attached = new Map<string, DimensionRecord | null>();
    for (const element of this.dimensions.elements) {
      const record = records.get(element);
      if (record === undefined) {
        throw new DimensionNameError(`No record given for element "${element}" of data ID ${this}`);
      }
      attached.set(element, record);
      if (record === null) continue;
      if (record.element.name !== element) {
        throw new InconsistentDataIdError(`Record ${record} was given for element "${element}"`);
      }
      for (const dimension of record.element.dimensions) {
        const index = this.dimensions.keyIndex(dimension.name);
        if (index < 0) continue;
        const recorded = record.valueOf(dimension.name) as RecordValue;
        const current = values[index];
        if (current === undefined) {
          if (recorded !== null) values[index] = recorded as DataIdValue;
        } else if (recorded !== current) {
          throw new InconsistentDataIdError(
            `Data ID ${this} has ${dimension.name}=${formatValue(current)} but its ${element} record says ${formatValue(recorded)}`,
          );
        }
      }
    }
    for (const [field, value] of Object.entries(this.constraints)) {
      const [element, name] = splitField(field);
      const recorded = attached.get(element)?.get(name);
      if (recorded !== value) {
        throw new InconsistentDataIdError(
          `Data ID ${this} has ${field}=${formatValue(value)} but the ${element} record says ${formatValue(recorded)}`,
        );
      }
    }
    const unknown = this.dimensions.dataCoordinateKeys.filter((_, i) => values[i] === undefined);
    if (unknown.length > 0) {
      throw new DataIdValueError(
        `Cannot determine ${unknown.join(", ")} of data ID ${this}: no record implies it`,
      );
    }
    return new DataCoordinate(this.dimensions, values, EMPTY_CONSTRAINTS, attached);
  }

  /** daf_butler's display form: `{instrument: 'HSC', detector: 16, visit: 903334}`. */
  toString(): string {
    const parts = this.dimensions.dataCoordinateKeys.flatMap((name, i) => {
      const value = this.#values[i];
      return value === undefined ? [] : [`${name}: ${formatValue(value)}`];
    });
    for (const [field, value] of Object.entries(this.constraints))
      parts.push(`${field}: ${formatValue(value)}`);
    return `{${parts.join(", ")}}`;
  }

  #known(count: number): Readonly<Record<string, DataIdValue>> {
    const result: Record<string, DataIdValue> = {};
    const keys = this.dimensions.dataCoordinateKeys;
    for (let i = 0; i < count; i++) {
      const value = this.#values[i];
      if (value !== undefined) result[keys[i] as string] = value;
    }
    return Object.freeze(result);
  }
}

const EMPTY_CONSTRAINTS: Readonly<Record<string, DataIdValue>> = Object.freeze({});

/** `exposure.obs_id` -> `["exposure", "obs_id"]`. */
export function splitField(field: string): [string, string] {
  const dot = field.indexOf(".");
  return [field.slice(0, dot), field.slice(dot + 1)];
}

/** A value as daf_butler prints it in a data ID: strings quoted, numbers bare. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (value === undefined) return "(none)";
  return String(value);
}

function pickConstraints(
  constraints: Readonly<Record<string, DataIdValue>>,
  group: DimensionGroup,
): Readonly<Record<string, DataIdValue>> {
  const entries = Object.entries(constraints).filter(([field]) => group.hasElement(splitField(field)[0]));
  return entries.length === 0 ? EMPTY_CONSTRAINTS : Object.freeze(Object.fromEntries(entries));
}

function checkCount(group: DimensionGroup, actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new DimensionNameError(`Expected ${expected} ${what} values for ${group}, got ${actual}`);
  }
}
