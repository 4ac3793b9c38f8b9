import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DataCoordinate } from "../dimensions/data-coordinate.ts";

/** Reads one already-found dataset when asked: what `getDeferred` returns. */
export interface DeferredDatasetHandle {
  readonly ref: DatasetRef;
  readonly dataId: DataCoordinate;
  /** Read it now, optionally a component, with parameters or in another storage class. */
  get(options?: {
    readonly component?: string;
    readonly parameters?: Readonly<Record<string, unknown>>;
    readonly storageClass?: string;
  }): Promise<unknown>;
}
