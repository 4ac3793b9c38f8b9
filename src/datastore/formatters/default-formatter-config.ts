const JSON_FORMATTER = "lsst.daf.butler.formatters.json.JsonFormatter";
const YAML_FORMATTER = "lsst.daf.butler.formatters.yaml.YamlFormatter";
const PICKLE = "lsst.daf.butler.formatters.pickle.PickleFormatter";
const PARQUET = "lsst.daf.butler.formatters.parquet.ParquetFormatter";
const ASTROPY_TABLE = "lsst.daf.butler.formatters.astropyTable.AstropyTableFormatter";
const FITS_GENERIC = "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter";
const FITS_EXPOSURE = "lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter";
const FITS_IMAGE = "lsst.obs.base.formatters.fitsExposure.FitsImageFormatter";
const FITS_MASK = "lsst.obs.base.formatters.fitsExposure.FitsMaskFormatter";

function all(formatter: string, storageClasses: readonly string[]): Record<string, string> {
  return Object.fromEntries(storageClasses.map((name) => [name, formatter]));
}

/**
 * daf_butler's default formatter configuration (`configs/datastores/formatters.yaml`), in its own shape and
 * with its class names, for the storage classes of daf_butler, obs_base and pipe_base; plus our `Text`.
 * Read by `FormatterTable.defaults()` through the same parser as a repository's `datastore.formatters`.
 */
export const DEFAULT_FORMATTER_CONFIG: Readonly<Record<string, unknown>> = Object.freeze({
  default: { [FITS_EXPOSURE]: { recipe: "default" } },
  ...all(JSON_FORMATTER, [
    "int",
    "TaskMetadata",
    "Timespan",
    "RegionTimeInfo",
    "MetricMeasurementBundle",
    "VisitBackgroundModel",
    "VisitGeometry",
  ]),
  ...all(YAML_FORMATTER, ["StructuredDataDict", "ExposureSummaryStats"]),
  ...Object.fromEntries(
    ["PropertyList", "PropertySet", "MetricValue"].map((name) => [
      name,
      { formatter: YAML_FORMATTER, parameters: { unsafe_dump: true } },
    ]),
  ),
  Packages: {
    formatter: "lsst.daf.butler.formatters.packages.PackagesFormatter",
    parameters: { format: "yaml" },
  },
  ButlerLogRecords: "lsst.daf.butler.formatters.logs.ButlerLogRecordsFormatter",
  Plot: "lsst.daf.butler.formatters.matplotlib.MatplotlibFormatter",
  Config: "lsst.pipe.base.formatters.pexConfig.PexConfigFormatter",
  ...all(PICKLE, ["SkyMap", "NumpyArray", "FocalPlaneBackground"]),
  ...all(PARQUET, ["DataFrame", "ArrowAstropy", "ArrowNumpy", "ArrowNumpyDict", "ArrowTable", "ArrowSchema"]),
  ...all(ASTROPY_TABLE, ["AstropyTable", "AstropyQTable"]),
  ...all(FITS_GENERIC, [
    "TablePersistable",
    "Wcs",
    "Psf",
    "CoaddInputs",
    "VisitInfo",
    "ApCorr",
    "PhotoCalib",
    "FilterLabel",
    "TransmissionCurve",
    "Camera",
    "Detector",
    "Polygon",
    "Catalog",
    "PeakCatalog",
    "SimpleCatalog",
    "SourceCatalog",
    "ExposureCatalog",
    "Defects",
    "IsrCalib",
    "QECurve",
    "CrosstalkCalib",
    "PhotonTransferCurveDataset",
    "Linearizer",
    "BrighterFatterKernel",
    "Background",
    "StampsBase",
    "Stamps",
  ]),
  ...all(FITS_IMAGE, ["Image", "ImageF", "ImageU"]),
  ...all(FITS_MASK, ["Mask", "MaskX"]),
  MaskedImageF: "lsst.obs.base.formatters.fitsExposure.FitsMaskedImageFormatter",
  ...all(FITS_EXPOSURE, ["DecoratedImageU", "Exposure", "ExposureF", "ExposureI"]),
  Text: "text",
});
