/**
 * butler-ts: find, read and write astronomical datasets by what they are (dataset type, data ID,
 * collections), compatible with LSST daf_butler repositories.
 */

export type { Hyperslab, PixelBox } from "./arrays/hyperslab.ts";
export {
  isNdArray,
  type NdArray,
  type NdArrayInput,
  type NdArrayOptions,
  ndArray,
} from "./arrays/nd-array.ts";
export { ND_DTYPES, type NdData, type NdDtype, type NdElement, parseDtype } from "./arrays/nd-dtype.ts";
export type { NumericArray, NumericType } from "./arrays/numeric-array.ts";
export type {
  Butler,
  DataIdArgument,
  DatasetTypeOrRef,
  GetOptions,
  IngestOptions,
  PruneOptions,
  PutItem,
  PutOptions,
  RetrieveOptions,
  SearchOptions,
  TransferFromOptions,
} from "./butler/butler.ts";
export { DatasetExistence } from "./butler/butler.ts";
export type { DeferredDatasetHandle } from "./butler/deferred-handle.ts";
export { type OpenButlerOptions, openButler } from "./butler/open-butler.ts";
export { COLLECTION_TYPES, type CollectionType } from "./datasets/collection-type.ts";
export {
  DATASET_ID_GENERATION_MODES,
  type DatasetIdGenerationMode,
  deterministicDatasetId,
  newDatasetId,
} from "./datasets/dataset-id.ts";
export { DatasetRef } from "./datasets/dataset-ref.ts";
export { DatasetType, type DatasetTypeInit, splitDatasetTypeName } from "./datasets/dataset-type.ts";
export type { StoredFileRecord } from "./datasets/datastore-records.ts";
export {
  type ConsistencyReport,
  type DatasetUris,
  type FileDataset,
  TRANSFER_MODES,
  type TransferMode,
} from "./datastore/datastore.ts";
export type { Formatter } from "./datastore/formatters/formatter.ts";
export { FormatterTable } from "./datastore/formatters/formatter-table.ts";
export { ResourceUri } from "./datastore/storage/resource-uri.ts";
export type { StorageBackend, StorageCapabilities } from "./datastore/storage/storage-backend.ts";
export type { StorageClass } from "./datastore/storage-classes/storage-class.ts";
export {
  defaultStorageClasses,
  StorageClassRegistry,
} from "./datastore/storage-classes/storage-class-registry.ts";
export { FileTemplate } from "./datastore/templates/file-template.ts";
export { FileTemplates } from "./datastore/templates/file-templates.ts";
export {
  buildDemoRepository,
  DEMO_COLLECTIONS,
  type DemoOptions,
  type DemoSummary,
} from "./demo/build-demo-repository.ts";
export { DataCoordinate, type DataIdState, type DataIdValue } from "./dimensions/data-coordinate.ts";
export { defaultUniverse } from "./dimensions/default-universe.ts";
export {
  type ColumnSpec,
  type ColumnType,
  type DimensionConfig,
  type ElementConfig,
  parseDimensionConfig,
  type SkyPixSystemConfig,
  type TopologicalFamilyConfig,
} from "./dimensions/dimension-config.ts";
export { DimensionRecord, type RecordValue } from "./dimensions/dimension-record.ts";
export { Dimension, DimensionElement, type ElementKind, SkyPixDimension } from "./dimensions/elements.ts";
export { type DimensionRecordSource, expandDataId } from "./dimensions/expand-data-id.ts";
export { DimensionGroup } from "./dimensions/group.ts";
export { loadDimensionUniverse } from "./dimensions/load-universe.ts";
export {
  type DataIdInput,
  type StandardizeOptions,
  standardizeDataId,
} from "./dimensions/standardize-data-id.ts";
export { SkyPixSystem, TopologicalFamily, type TopologicalSpace } from "./dimensions/topology.ts";
export { DimensionUniverse } from "./dimensions/universe.ts";
export {
  ArgumentError,
  ButlerError,
  type ButlerErrorOptions,
  ButlerStateError,
  ButlerUserError,
  CalibrationLookupError,
  CollectionCycleError,
  CollectionTypeError,
  CommandLineError,
  ConfigError,
  ConflictingDefinitionError,
  DatabaseError,
  DataIdError,
  DataIdValueError,
  DatasetNotFoundError,
  DatasetTypeError,
  DatasetTypeNotSupportedError,
  DimensionNameError,
  DimensionValueError,
  EmptyQueryResultError,
  ExportFormatError,
  FileTemplateError,
  FormatterError,
  IncompatibleRepositoryError,
  InconsistentDataIdError,
  InvalidCollectionNameError,
  InvalidQueryError,
  InvalidTimeError,
  MissingCollectionError,
  MissingDatasetTypeError,
  MissingDependencyError,
  NoDefaultCollectionError,
  OrphanedRecordError,
  RegionError,
  StorageClassError,
  StorageError,
  StorageNotFoundError,
  UnimplementedQueryError,
  UnknownColumnError,
  UnknownComponentError,
} from "./errors.ts";
export { Box, type Extent, type ImageOrigin, type Point } from "./images/box.ts";
export { Exposure, type ExposureInit } from "./images/exposure.ts";
export { Image, type ImageInit } from "./images/image.ts";
export { DEFAULT_MASK_PLANES, Mask } from "./images/mask.ts";
export { MaskedImage, type MaskedImageInit } from "./images/masked-image.ts";
export { type MetadataEntry, type MetadataValue, PropertyList } from "./images/property-list.ts";
export {
  type PixelPosition,
  type SkyPosition,
  SkyWcs,
  type SkyWcsInit,
  type WcsProjection,
} from "./images/sky-wcs.ts";
export { parseExpression } from "./query/language/parser.ts";
export { printExpression } from "./query/language/print.ts";
export {
  type DataIdQueryResults,
  type DatasetQueryResults,
  type DimensionRecordQueryResults,
  Query,
  QueryResults,
  type WhereArgument,
} from "./query/query.ts";
export type { QueryDriver } from "./query/query-driver.ts";
export type { QueryHelperOptions, QueryList } from "./query/query-helpers.ts";
export type { DatasetSearch, OrderTerm, QuerySpec, QueryTree, ResultSpec } from "./query/tree/query-tree.ts";
export type {
  CalibrationHistoryEntry,
  CollectionInfo,
  CollectionQueryOptions,
  FindDatasetOptions,
  Registry,
  RegistryCalibrations,
  RegistryCollections,
  RegistryDatasets,
  RegistryDatasetTypes,
  RegistryDimensionRecords,
} from "./registry/registry.ts";
export { type CreateRepositoryOptions, createRepository } from "./repository/create-repository.ts";
export { type ExportOptions, exportRegistry } from "./repository/export-repository.ts";
export {
  type ImportOptions,
  type ImportSummary,
  importDocument,
  importExportFile,
} from "./repository/import-repository.ts";
export { type OpenRegistryOptions, openRegistry } from "./repository/open-registry.ts";
export { Angle } from "./sphgeom/angle.ts";
// sphgeom's Box is exported as SkyBox: `Box` is the pixel box of images.
export { Box as SkyBox } from "./sphgeom/box.ts";
export { Circle } from "./sphgeom/circle.ts";
export { CompoundRegion } from "./sphgeom/compound-region.ts";
export { convexHull } from "./sphgeom/convex-hull.ts";
export { ConvexPolygon } from "./sphgeom/convex-polygon.ts";
export { decodeRegion } from "./sphgeom/decode-region.ts";
export { Ellipse } from "./sphgeom/ellipse.ts";
export {
  HEALPIX_MAX_ORDER,
  HealpixPixelization,
  type HealpixScheme,
} from "./sphgeom/healpix-pixelization.ts";
export { HTM_MAX_LEVEL, HtmPixelization } from "./sphgeom/htm-pixelization.ts";
export { LonLat } from "./sphgeom/lon-lat.ts";
export type { PixelRange } from "./sphgeom/pixel-ranges.ts";
export type { Region, RegionKind } from "./sphgeom/region.ts";
export { invertRelationship, Relationship } from "./sphgeom/relationship.ts";
export { separation } from "./sphgeom/separation.ts";
export { UnitVector3d } from "./sphgeom/unit-vector-3d.ts";
export {
  type ColumnDict,
  type ColumnValue,
  columnDictOf,
  isColumnDict,
  tableFromColumnDict,
} from "./tables/column-dict.ts";
export {
  COLUMN_TYPES,
  type ColumnType as TableColumnType,
  type ColumnValues,
} from "./tables/column-type.ts";
export { selectColumns } from "./tables/select-columns.ts";
export { isTable, makeTable, type Table, type TableInit } from "./tables/table.ts";
export type { TableColumn, TableColumnInit } from "./tables/table-column.ts";
export type { ColumnSchema, TableSchema } from "./tables/table-schema.ts";
export { type FormatTimeOptions, formatTime, type TimeOutputFormat } from "./time/format-time.ts";
export { LEAP_SECONDS_KNOWN_UNTIL } from "./time/leap-seconds.ts";
export { type ParseTimeOptions, parseTime, type TimeFormat, type TimeScale } from "./time/parse-time.ts";
export { type OutOfRangePolicy, TAI_MAX_NS, TAI_MIN_NS } from "./time/tai-range.ts";
export { EMPTY_BOUND, Timespan, type TimespanBound, type TimespanOptions } from "./time/timespan.ts";
export type { ExportDocument, ExportItem } from "./transfers/export-document.ts";
export { migrateExportDocument } from "./transfers/migrate-export.ts";
export { parseExportDocument } from "./transfers/read-export.ts";
export { formatExportDocument } from "./transfers/write-export.ts";
