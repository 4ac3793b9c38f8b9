import type { Dimension, DimensionElement, SkyPixDimension } from "./elements.ts";
import type { DimensionGroup } from "./group.ts";

/** Which kind of overlap a family describes: regions on the sky or timespans. */
export type TopologicalSpace = "spatial" | "temporal";

/**
 * Elements whose regions (or timespans) describe the same thing at different granularity, finest first:
 * `observation_regions = [visit_detector_region, visit]`. A query uses the first member present.
 */
export class TopologicalFamily {
  readonly name: string;
  readonly space: TopologicalSpace;
  /** Members, finest first. */
  readonly members: readonly DimensionElement[];
  /** The one governor every member depends on. */
  readonly governor: Dimension;

  /** @internal Families are made by the universe. */
  constructor(
    name: string,
    space: TopologicalSpace,
    members: readonly DimensionElement[],
    governor: Dimension,
  ) {
    this.name = name;
    this.space = space;
    this.members = Object.freeze([...members]);
    this.governor = governor;
    Object.freeze(this);
  }

  /** The member that represents this family in `group`: the first one among the group's elements. */
  choose(group: DimensionGroup): DimensionElement | undefined {
    return this.members.find((member) => group.elements.includes(member.name));
  }

  toString(): string {
    return this.name;
  }
}

/** A hierarchical sky pixelization (`htm`, `healpix`) and its one dimension per level. */
export class SkyPixSystem {
  readonly name: string;
  readonly space: TopologicalSpace = "spatial";
  /** daf_butler's class name for the pixelization, e.g. `lsst.sphgeom.HtmPixelization`. */
  readonly pixelizationClass: string;
  readonly minLevel: number;
  readonly maxLevel: number;
  /** One dimension per level, from `minLevel` to `maxLevel`. */
  readonly dimensions: readonly SkyPixDimension[];

  /** @internal Systems are made by the universe. */
  constructor(
    name: string,
    pixelizationClass: string,
    minLevel: number,
    maxLevel: number,
    dimensions: readonly SkyPixDimension[],
  ) {
    this.name = name;
    this.pixelizationClass = pixelizationClass;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.dimensions = Object.freeze([...dimensions]);
    Object.freeze(this);
  }

  /** The dimension of the given level, if the system has it. */
  level(level: number): SkyPixDimension | undefined {
    return this.dimensions[level - this.minLevel];
  }

  toString(): string {
    return this.name;
  }
}
