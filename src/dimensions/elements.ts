import type { ColumnSpec } from "./dimension-config.ts";
import type { DimensionGroup } from "./group.ts";
import type { SkyPixSystem, TopologicalFamily } from "./topology.ts";
import type { DimensionUniverse } from "./universe.ts";

/**
 * What an element is: a `governor` dimension (instrument, skymap), an ordinary `dimension` (visit,
 * detector), a `combination` without keys of its own (visit_detector_region), or a `skypix` dimension (htm7).
 */
export type ElementKind = "governor" | "dimension" | "combination" | "skypix";

/** Everything an element is built from; supplied by the universe while it is constructed. */
export interface ElementInit {
  readonly universe: DimensionUniverse;
  readonly name: string;
  readonly kind: ElementKind;
  readonly index: number;
  /** Required dependencies, universe-ordered, not including the element itself. */
  readonly requiredDependencies: readonly Dimension[];
  readonly implied: readonly Dimension[];
  readonly metadata: readonly ColumnSpec[];
  readonly doc: string;
  readonly isCached: boolean;
  readonly alwaysJoin: boolean;
  readonly populatedBy: Dimension | null;
  readonly spatialFamily: string | null;
  readonly temporalFamily: string | null;
}

/** Extra parts of a dimension's definition. */
export interface DimensionInit extends ElementInit {
  readonly keys: readonly ColumnSpec[];
  readonly impliedUnionTarget: string | null;
}

/**
 * A dimension element: a table of dimension records keyed by the values of its required dimensions.
 * Elements are created only by a {@link DimensionUniverse} and are frozen.
 */
export class DimensionElement {
  /** The universe this element belongs to. */
  readonly universe: DimensionUniverse;
  readonly name: string;
  readonly kind: ElementKind;
  /** Position in the universe's element order (dependencies first, ties broken by name). */
  readonly index: number;
  /** Dimensions whose values identify a record, universe-ordered; a dimension lists itself last. */
  readonly required: readonly Dimension[];
  /** Dimensions whose values a record determines (a visit implies its physical_filter). */
  readonly implied: readonly Dimension[];
  /** Non-key columns of the record. */
  readonly metadata: readonly ColumnSpec[];
  readonly doc: string;
  /** Whether clients keep all records of this element in memory. */
  readonly isCached: boolean;
  /** Whether this combination joins into every query that has its required dimensions. */
  readonly alwaysJoin: boolean;
  /** The dimension whose records carry this combination's records in export and transfer. */
  readonly populatedBy: Dimension | null;
  /** Field names of a record, in daf_butler's order (also the CLI's column order). */
  readonly recordFields: readonly string[];
  readonly #spatialFamily: string | null;
  readonly #temporalFamily: string | null;
  readonly #keyFields: ReadonlyMap<string, string>;

  /** @internal Elements are made by {@link DimensionUniverse}. */
  constructor(init: ElementInit, primaryKey?: ColumnSpec, alternateKeys: readonly ColumnSpec[] = []) {
    this.universe = init.universe;
    this.name = init.name;
    this.kind = init.kind;
    this.index = init.index;
    this.required = Object.freeze(
      init.kind === "combination"
        ? [...init.requiredDependencies]
        : [...init.requiredDependencies, this as never],
    );
    this.implied = Object.freeze([...init.implied]);
    this.metadata = init.metadata;
    this.doc = init.doc;
    this.isCached = init.isCached;
    this.alwaysJoin = init.alwaysJoin;
    this.populatedBy = init.populatedBy;
    this.#spatialFamily = init.spatialFamily;
    this.#temporalFamily = init.temporalFamily;
    const keyFields = new Map<string, string>();
    for (const dimension of init.requiredDependencies) keyFields.set(dimension.name, dimension.name);
    if (primaryKey !== undefined) keyFields.set(this.name, primaryKey.name);
    for (const dimension of init.implied) keyFields.set(dimension.name, dimension.name);
    this.#keyFields = keyFields;
    this.recordFields = Object.freeze([
      ...keyFields.values(),
      ...alternateKeys.map((key) => key.name),
      ...init.metadata.map((column) => column.name),
      ...(init.spatialFamily !== null ? ["region"] : []),
      ...(init.temporalFamily !== null ? ["timespan"] : []),
    ]);
  }

  /** Required then implied dimensions: every dimension a record holds a value for. */
  get dimensions(): readonly Dimension[] {
    return [...this.required, ...this.implied];
  }

  /** The group of this element's required dimensions (with their own dependencies). */
  get minimalGroup(): DimensionGroup {
    return this.universe.conform(this.required.map((d) => d.name));
  }

  /** The governor dimension this element depends on (itself for a governor), or null. */
  get governor(): Dimension | null {
    const governors = this.required.filter((dimension) => dimension.kind === "governor");
    return governors.length === 1 ? (governors[0] as Dimension) : null;
  }

  /** The spatial family this element belongs to (its region's family), if any. */
  get spatial(): TopologicalFamily | SkyPixSystem | null {
    return this.#spatialFamily === null ? null : this.universe.family(this.#spatialFamily);
  }

  /** The temporal family this element belongs to (its timespan's family), if any. */
  get temporal(): TopologicalFamily | null {
    return this.#temporalFamily === null
      ? null
      : (this.universe.family(this.#temporalFamily) as TopologicalFamily);
  }

  /** Whether records live in a table of their own (not an implied-union view or a computed skypix). */
  get hasOwnTable(): boolean {
    return this.kind !== "skypix" && !(this instanceof Dimension && this.impliedUnionTarget !== null);
  }

  /** The record field holding the value of `dimension` (`id` for a visit's own key), if the record has one. */
  keyField(dimension: string): string | undefined {
    return this.#keyFields.get(dimension);
  }

  toString(): string {
    return this.name;
  }
}

/** A dimension: an element with a primary key, usable as a data ID key. */
export class Dimension extends DimensionElement {
  /** The column that identifies a record among those with the same required dependencies. */
  readonly primaryKey: ColumnSpec;
  /** Other columns that also identify a record (`detector.full_name`, `exposure.obs_id`). */
  readonly alternateKeys: readonly ColumnSpec[];
  /** For an implied-union dimension (band): the dimension whose records define its values. */
  readonly impliedUnionTarget: string | null;

  /** @internal Dimensions are made by {@link DimensionUniverse}. */
  constructor(init: DimensionInit) {
    const [primaryKey, ...alternateKeys] = init.keys;
    if (primaryKey === undefined) throw new TypeError(`dimension ${init.name} needs a primary key`);
    super(init, primaryKey, alternateKeys);
    this.primaryKey = primaryKey;
    this.alternateKeys = Object.freeze(alternateKeys);
    this.impliedUnionTarget = init.impliedUnionTarget;
  }

  /** Whether this is a governor dimension (few values, must be constrained in queries). */
  get isGovernor(): boolean {
    return this.kind === "governor";
  }
}

/** A dimension of a sky pixelization at one level (`htm7`): integer pixel index, computed region. */
export class SkyPixDimension extends Dimension {
  /** Name of the pixelization system (`htm`, `healpix`). */
  readonly system: string;
  readonly level: number;

  /** @internal Made by {@link DimensionUniverse}. */
  constructor(init: DimensionInit, system: string, level: number) {
    super(init);
    this.system = system;
    this.level = level;
  }
}
