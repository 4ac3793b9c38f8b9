import type { DimensionGroup } from "../dimensions/group.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import { DatasetTypeError } from "../errors.ts";

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)*$/;

/** Longest dataset type name a registry stores. */
export const MAX_DATASET_TYPE_NAME = 128;

/** What a dataset type is made from. */
export interface DatasetTypeInit {
  readonly name: string;
  readonly dimensions: DimensionGroup | Iterable<string>;
  readonly storageClass: string;
  readonly isCalibration?: boolean;
}

/**
 * `calexp.wcs` -> `["calexp", "wcs"]`; `calexp` -> `["calexp", null]`. Splits at the first dot, as
 * daf_butler does (`a.b.c` -> `a`, `b.c`).
 */
export function splitDatasetTypeName(name: string): [string, string | null] {
  const dot = name.indexOf(".");
  return dot < 0 ? [name, null] : [name.slice(0, dot), name.slice(dot + 1)];
}

/**
 * A kind of dataset: its name, the dimensions of its data IDs, the name of the storage class of its
 * in-memory form, and whether it may be certified into CALIBRATION collections. Frozen.
 */
export class DatasetType {
  readonly name: string;
  readonly dimensions: DimensionGroup;
  readonly storageClass: string;
  readonly isCalibration: boolean;

  private constructor(
    name: string,
    dimensions: DimensionGroup,
    storageClass: string,
    isCalibration: boolean,
  ) {
    this.name = name;
    this.dimensions = dimensions;
    this.storageClass = storageClass;
    this.isCalibration = isCalibration;
    Object.freeze(this);
  }

  /**
   * A dataset type, its name and dimensions checked.
   * @throws {DatasetTypeError} for an invalid name, a name equal to a governor dimension, or no storage class.
   * @throws {DimensionNameError} for an unknown dimension.
   */
  static make(universe: DimensionUniverse, init: DatasetTypeInit): DatasetType {
    const { name } = init;
    if (!NAME.test(name)) {
      throw new DatasetTypeError(`Invalid dataset type name "${name}"`, {
        hint: "Use letters, digits and _ (not starting with a digit), with '.' only before a component name.",
      });
    }
    if (name.length > MAX_DATASET_TYPE_NAME) {
      throw new DatasetTypeError(
        `Dataset type name "${name}" is longer than ${MAX_DATASET_TYPE_NAME} characters`,
      );
    }
    if (universe.governors.some((g) => g.name === name)) {
      throw new DatasetTypeError(`Dataset type name "${name}" is the name of a governor dimension`);
    }
    if (init.storageClass.trim() === "") {
      throw new DatasetTypeError(`Dataset type "${name}" needs a storage class`);
    }
    return new DatasetType(
      name,
      universe.conform(init.dimensions),
      init.storageClass,
      init.isCalibration ?? false,
    );
  }

  /** The component part of a component dataset type name (`wcs` of `calexp.wcs`), or null. */
  get component(): string | null {
    return splitDatasetTypeName(this.name)[1];
  }

  /** Whether both have the same name, dimensions, storage class and calibration flag. */
  equals(other: DatasetType): boolean {
    return (
      this.name === other.name &&
      this.dimensions.equals(other.dimensions) &&
      this.storageClass === other.storageClass &&
      this.isCalibration === other.isCalibration
    );
  }

  /** `DatasetType('flat', {band, instrument, detector, physical_filter}, Exposure, isCalibration=True)`. */
  toString(): string {
    const calibration = this.isCalibration ? ", isCalibration=True" : "";
    return `DatasetType('${this.name}', ${this.dimensions}, ${this.storageClass}${calibration})`;
  }
}
