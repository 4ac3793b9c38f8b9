import type { DataIdValue } from "../dimensions/data-coordinate.ts";
import type { RecordValue } from "../dimensions/dimension-record.ts";
import type { Timespan } from "../time/timespan.ts";

/**
 * The contents of a daf_butler export file (`export.yaml`, spec §5), as plain typed data: what the
 * reader produces and the writer consumes. Dimension record values use the types of
 * {@link RecordValue}: a region is the bytes of its sphgeom encoding (the `encoded` hex of the file), a
 * hash is bytes (`!!binary`), and `datetime_begin`/`datetime_end` are merged into one `timespan` field.
 */
export interface ExportDocument {
  /** Format version, `major.minor.patch`; the legacy integer 0 reads as `1.0.0`. */
  readonly version: string;
  /** Universe version the exporting repository used; absent in the oldest files. */
  readonly universeVersion: number | undefined;
  readonly universeNamespace: string;
  /** Items in file order. */
  readonly items: readonly ExportItem[];
}

/** The kinds of collection, as daf_butler names them. */
export type CollectionTypeName = "RUN" | "TAGGED" | "CHAINED" | "CALIBRATION";

/** Dimension records of one element (`type: dimension`). */
export interface ExportedDimensionRecords {
  readonly type: "dimension";
  readonly element: string;
  /** Field name to value, fields as the universe of the document names them. */
  readonly records: readonly Readonly<Record<string, RecordValue>>[];
}

/** A collection (`type: collection`, or a legacy `type: run`). */
export interface ExportedCollection {
  readonly type: "collection";
  readonly name: string;
  readonly collectionType: CollectionTypeName;
  readonly doc: string | null;
  /** RUN only. */
  readonly host: string | null;
  /** RUN only; null when unbounded or absent. */
  readonly timespan: Timespan | null;
  /** CHAINED only: children in search order. */
  readonly children: readonly string[];
}

/** A dataset type (`type: dataset_type`). */
export interface ExportedDatasetType {
  readonly type: "dataset_type";
  readonly name: string;
  readonly dimensions: readonly string[];
  readonly storageClass: string;
  readonly isCalibration: boolean;
}

/** One file of a `type: dataset` item: the datasets it holds. */
export interface ExportedFile {
  /** Dataset IDs as lowercase hyphenated UUID strings, parallel to `dataIds`. */
  readonly datasetIds: readonly string[];
  /** Required-dimension values of each dataset. */
  readonly dataIds: readonly Readonly<Record<string, DataIdValue>>[];
  readonly path: string;
  readonly formatter: string | null;
}

/** Datasets of one type in one run (`type: dataset`). */
export interface ExportedDatasets {
  readonly type: "dataset";
  readonly datasetType: string;
  readonly run: string;
  readonly files: readonly ExportedFile[];
}

/** Datasets of a TAGGED or CALIBRATION collection (`type: associations`). */
export interface ExportedAssociations {
  readonly type: "associations";
  readonly collection: string;
  readonly collectionType: "TAGGED" | "CALIBRATION";
  /** TAGGED: the tagged dataset IDs. */
  readonly datasetIds: readonly string[];
  /** CALIBRATION: datasets certified over each validity range. */
  readonly validityRanges: readonly { readonly timespan: Timespan; readonly datasetIds: readonly string[] }[];
}

/** One entry of the `data` list. */
export type ExportItem =
  | ExportedDimensionRecords
  | ExportedCollection
  | ExportedDatasetType
  | ExportedDatasets
  | ExportedAssociations;
