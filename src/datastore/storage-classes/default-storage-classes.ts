import type { StorageClassDefinition } from "./storage-class.ts";

function simple(pytypes: Readonly<Record<string, string>>): StorageClassDefinition[] {
  return Object.entries(pytypes).map(([name, pytype]) => ({ name, pytype }));
}

function subclasses(parent: string, module: string, suffixes: readonly string[]): StorageClassDefinition[] {
  return suffixes.map((suffix) => ({
    name: `${parent}${suffix}`,
    pytype: `${module}.${parent}${suffix}`,
    inheritsFrom: parent,
  }));
}

/** Components a table storage class derives, with the storage class of its schema. */
function tableComponents(schema: string): Record<string, string> {
  return { columns: "ArrowColumnList", rowcount: "int", schema };
}

const TABLE_PARAMETERS = ["columns", "filters"];
const IMAGE_PARAMETERS = ["bbox", "origin"];
const PARQUET = "lsst.daf.butler.formatters.parquet";

/**
 * daf_butler's default storage classes (`configs/storageClasses.yaml`) with their names, pytypes,
 * components and parameters, for the types of daf_butler, afw, pipe_base and the table libraries;
 * parents before children. Plus `Text` (pytype `str`), our own: daf_butler has no storage class for plain
 * text. Types butler-ts cannot hold in memory yet (images, catalogs, tables) are defined all the same, so
 * repositories using them open and their datasets can be listed, moved and exported.
 */
export const DEFAULT_STORAGE_CLASSES: readonly StorageClassDefinition[] = Object.freeze([
  ...simple({
    int: "int",
    StructuredDataDict: "dict",
    StructuredDataList: "list",
    Text: "str",
    Config: "lsst.pex.config.Config",
    Packages: "lsst.utils.packages.Packages",
    TaskMetadata: "lsst.pipe.base.TaskMetadata",
    PropertySet: "lsst.daf.base.PropertySet",
    PropertyList: "lsst.daf.base.PropertyList",
    Timespan: "lsst.daf.butler.Timespan",
    ButlerLogRecords: "lsst.daf.butler.ButlerLogRecords",
    NumpyArray: "numpy.ndarray",
    Thumbnail: "numpy.ndarray",
    Plot: "matplotlib.figure.Figure",
    AstropyTable: "astropy.table.Table",
    AstropyQTable: "astropy.table.QTable",
    SkyMap: "lsst.skymap.BaseSkyMap",
    MetricValue: "lsst.verify.Measurement",
    TablePersistable: "lsst.afw.table.io.Persistable",
    Wcs: "lsst.afw.geom.skyWcs.SkyWcs",
    Psf: "lsst.afw.detection.Psf",
    CoaddInputs: "lsst.afw.image.CoaddInputs",
    VisitInfo: "lsst.afw.image.VisitInfo",
    ApCorr: "lsst.afw.image.ApCorrMap",
    PhotoCalib: "lsst.afw.image.PhotoCalib",
    TransmissionCurve: "lsst.afw.image.TransmissionCurve",
    ExposureSummaryStats: "lsst.afw.image.ExposureSummaryStats",
    FilterLabel: "lsst.afw.image.FilterLabel",
    Camera: "lsst.afw.cameraGeom.Camera",
    Detector: "lsst.afw.cameraGeom.Detector",
    Polygon: "lsst.afw.geom.Polygon",
    Box2I: "lsst.geom.Box2I",
    Extent2I: "lsst.geom.Extent2I",
    Point2I: "lsst.geom.Point2I",
    Background: "lsst.afw.math.BackgroundList",
    Catalog: "lsst.afw.table.BaseCatalog",
    SimpleCatalog: "lsst.afw.table.SimpleCatalog",
    SourceCatalog: "lsst.afw.table.SourceCatalog",
    ExposureCatalog: "lsst.afw.table.ExposureCatalog",
    PeakCatalog: "lsst.afw.detection.PeakCatalog",
    IsrCalib: "lsst.ip.isr.IsrCalib",
    Defects: "lsst.ip.isr.Defects",
    DataFrameIndex: "pandas.Index",
    DataFrameSchema: `${PARQUET}.DataFrameSchema`,
    ArrowColumnList: "list",
    ArrowSchema: "pyarrow.Schema",
    ArrowAstropySchema: `${PARQUET}.ArrowAstropySchema`,
    ArrowNumpySchema: `${PARQUET}.ArrowNumpySchema`,
    HealSparseCoverage: "healsparse.HealSparseCoverage",
  }),
  {
    name: "DataFrame",
    pytype: "pandas.core.frame.DataFrame",
    derivedComponents: { columns: "DataFrameIndex", rowcount: "int", schema: "DataFrameSchema" },
    parameters: TABLE_PARAMETERS,
  },
  {
    name: "ArrowTable",
    pytype: "pyarrow.lib.Table",
    derivedComponents: tableComponents("ArrowSchema"),
    parameters: TABLE_PARAMETERS,
  },
  {
    name: "ArrowAstropy",
    pytype: "astropy.table.Table",
    derivedComponents: tableComponents("ArrowAstropySchema"),
    parameters: TABLE_PARAMETERS,
  },
  {
    name: "ArrowNumpy",
    pytype: "numpy.ndarray",
    derivedComponents: tableComponents("ArrowNumpySchema"),
    parameters: TABLE_PARAMETERS,
  },
  {
    name: "ArrowNumpyDict",
    pytype: "dict",
    derivedComponents: tableComponents("ArrowNumpySchema"),
    parameters: TABLE_PARAMETERS,
  },
  {
    name: "HealSparseMap",
    pytype: "healsparse.HealSparseMap",
    derivedComponents: { coverage: "HealSparseCoverage" },
    parameters: ["pixels", "degrade_nside"],
  },
  { name: "Image", pytype: "lsst.afw.image.Image", parameters: IMAGE_PARAMETERS },
  ...subclasses("Image", "lsst.afw.image", ["F", "I", "U"]),
  { name: "Mask", pytype: "lsst.afw.image.Mask", parameters: IMAGE_PARAMETERS },
  ...subclasses("Mask", "lsst.afw.image", ["X"]),
  { name: "MaskedImage", pytype: "lsst.afw.image.MaskedImage" },
  ...subclasses("MaskedImage", "lsst.afw.image", ["F", "I", "U"]),
  { name: "DecoratedImage", pytype: "lsst.afw.image.DecoratedImage" },
  ...subclasses("DecoratedImage", "lsst.afw.image", ["U"]),
  {
    name: "Exposure",
    pytype: "lsst.afw.image.Exposure",
    parameters: [...IMAGE_PARAMETERS, "amp", "detector"],
    components: {
      image: "Image",
      mask: "Mask",
      variance: "Image",
      wcs: "Wcs",
      psf: "Psf",
      photoCalib: "PhotoCalib",
      visitInfo: "VisitInfo",
      apCorrMap: "ApCorr",
      coaddInputs: "CoaddInputs",
      transmissionCurve: "TransmissionCurve",
      metadata: "PropertyList",
      filter: "FilterLabel",
      detector: "Detector",
      validPolygon: "Polygon",
      summaryStats: "ExposureSummaryStats",
      id: "int",
    },
    derivedComponents: { bbox: "Box2I", dimensions: "Extent2I", xy0: "Point2I" },
  },
  ...(["F", "I", "U"] as const).map((suffix) => ({
    name: `Exposure${suffix}`,
    pytype: `lsst.afw.image.Exposure${suffix}`,
    inheritsFrom: "Exposure",
    components: { image: `Image${suffix}`, mask: "MaskX", variance: "ImageF" },
  })),
]);
