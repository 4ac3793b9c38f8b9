import type { DimensionElement } from "./elements.ts";
import type { SkyPixSystem, TopologicalFamily } from "./topology.ts";
import type { DimensionUniverse } from "./universe.ts";

/**
 * An immutable set of dimensions closed under their required and implied dependencies, with the subsets
 * queries and data IDs need. Made by {@link DimensionUniverse.conform}; one object per set, so groups of
 * the same universe can be compared with `===` or {@link DimensionGroup.equals}.
 */
export class DimensionGroup {
  readonly universe: DimensionUniverse;
  /** All dimension names, in universe order. */
  readonly names: readonly string[];
  /** Dimensions no other member implies: the values that identify a data ID. */
  readonly required: readonly string[];
  /** Dimensions implied by another member (a visit's physical_filter, band and day_obs). */
  readonly implied: readonly string[];
  /** Every element whose required dimensions are all in the group, in universe order. */
  readonly elements: readonly string[];
  readonly governors: readonly string[];
  readonly skypix: readonly string[];
  /** Key order of a data ID: required then implied. */
  readonly dataCoordinateKeys: readonly string[];
  /** Element order in which records can be fetched: an implying element before what it implies. */
  readonly lookupOrder: readonly string[];
  /** Spatial families (and skypix systems) represented by the group's elements. */
  readonly spatial: readonly (TopologicalFamily | SkyPixSystem)[];
  /** Temporal families represented by the group's elements. */
  readonly temporal: readonly TopologicalFamily[];
  readonly #keyIndex: ReadonlyMap<string, number>;

  /** @internal Groups are made by {@link DimensionUniverse.conform}, which expands and sorts `names`. */
  constructor(universe: DimensionUniverse, names: readonly string[]) {
    this.universe = universe;
    this.names = Object.freeze([...names]);
    const members = new Set(names);
    const dimensions = names.map((name) => universe.dimension(name));
    this.elements = Object.freeze(
      universe.elements.filter((e) => e.required.every((d) => members.has(d.name))).map((e) => e.name),
    );
    this.governors = Object.freeze(dimensions.filter((d) => d.kind === "governor").map((d) => d.name));
    this.skypix = Object.freeze(dimensions.filter((d) => d.kind === "skypix").map((d) => d.name));
    const impliedNames = new Set(dimensions.flatMap((d) => d.implied.map((i) => i.name)));
    this.required = Object.freeze(names.filter((name) => !impliedNames.has(name)));
    this.implied = Object.freeze(names.filter((name) => impliedNames.has(name)));
    this.dataCoordinateKeys = Object.freeze([...this.required, ...this.implied]);
    this.#keyIndex = new Map(this.dataCoordinateKeys.map((name, i) => [name, i]));
    this.lookupOrder = Object.freeze(computeLookupOrder(universe, this.required, this.elements));
    const elementObjects = this.elements.map((name) => universe.element(name));
    this.spatial = Object.freeze(unique(elementObjects.map((e) => e.spatial)));
    this.temporal = Object.freeze(unique(elementObjects.map((e) => e.temporal)));
    Object.freeze(this);
  }

  /** Whether `name` is one of the group's dimensions. */
  hasDimension(name: string): boolean {
    return this.#keyIndex.has(name);
  }

  /** Whether `name` is one of the group's elements (dimensions or combinations). */
  hasElement(name: string): boolean {
    return this.elements.includes(name);
  }

  /** Position of `name` in {@link dataCoordinateKeys}, or -1. */
  keyIndex(name: string): number {
    return this.#keyIndex.get(name) ?? -1;
  }

  /** Number of dimensions. */
  get size(): number {
    return this.names.length;
  }

  /** The group of every dimension in any operand (which may bring in join elements of neither). */
  union(...others: DimensionGroup[]): DimensionGroup {
    return this.universe.conform([...this.names, ...others.flatMap((o) => o.names)]);
  }

  /** The group of the dimensions every operand has. */
  intersection(...others: DimensionGroup[]): DimensionGroup {
    return this.universe.conform(this.names.filter((name) => others.every((o) => o.hasDimension(name))));
  }

  /** The group of this group's dimensions that are not in `other`, plus their dependencies. */
  difference(other: DimensionGroup): DimensionGroup {
    return this.universe.conform(this.names.filter((name) => !other.hasDimension(name)));
  }

  /** Whether every dimension of this group is in `other`. */
  isSubsetOf(other: DimensionGroup): boolean {
    return this.names.every((name) => other.hasDimension(name));
  }

  /** Whether every dimension of `other` is in this group. */
  isSupersetOf(other: DimensionGroup): boolean {
    return other.isSubsetOf(this);
  }

  /** Whether the groups have no dimension in common. */
  isDisjointFrom(other: DimensionGroup): boolean {
    return !this.names.some((name) => other.hasDimension(name));
  }

  /** Whether both groups hold the same dimensions. */
  equals(other: DimensionGroup): boolean {
    return this === other || (this.size === other.size && this.isSubsetOf(other));
  }

  /** `{instrument, detector, visit, ...}` in universe order. */
  toString(): string {
    return `{${this.names.join(", ")}}`;
  }
}

function unique<T>(items: readonly (T | null)[]): T[] {
  const seen = new Set<T>();
  for (const item of items) if (item !== null) seen.add(item);
  return [...seen];
}

/** daf_butler's lookup order: walk required dimensions so each element comes after its dependencies. */
function computeLookupOrder(
  universe: DimensionUniverse,
  required: readonly string[],
  elements: readonly string[],
): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  const add = (element: DimensionElement) => {
    if (done.has(element.name)) return;
    const predecessors = element.required.filter((d) => d.name !== element.name);
    if (!predecessors.every((d) => done.has(d.name))) return;
    order.push(element.name);
    done.add(element.name);
    for (const implied of element.implied) add(implied);
  };
  let progress = true;
  while (progress && !required.every((name) => done.has(name))) {
    const before = done.size;
    for (const name of required) add(universe.dimension(name));
    progress = done.size > before;
  }
  for (const name of elements) if (!done.has(name)) order.push(name);
  return order;
}
