import type { DataCoordinate } from "../dimensions/data-coordinate.ts";
import type { DatasetType } from "./dataset-type.ts";

/** A dataset known to a registry: its ID, type, data ID and the RUN it was written to. Frozen. */
export class DatasetRef {
  /** Canonical UUID string. */
  readonly id: string;
  readonly datasetType: DatasetType;
  readonly dataId: DataCoordinate;
  readonly run: string;

  constructor(id: string, datasetType: DatasetType, dataId: DataCoordinate, run: string) {
    this.id = id;
    this.datasetType = datasetType;
    this.dataId = dataId;
    this.run = run;
    Object.freeze(this);
  }

  /** Whether both refer to the same dataset (same ID, type and data ID). */
  equals(other: DatasetRef): boolean {
    return (
      this.id === other.id && this.datasetType.equals(other.datasetType) && this.dataId.equals(other.dataId)
    );
  }

  /** daf_butler's form: `flat@{instrument: 'Cam1', ...} [sc=Exposure] (run=imported_g id=...)`. */
  toString(): string {
    return `${this.datasetType.name}@${this.dataId} [sc=${this.datasetType.storageClass}] (run=${this.run} id=${this.id})`;
  }
}
