import { FormatterError } from "../../errors.ts";
import { didYouMean } from "../../util/suggest.ts";
import {
  fitsExposureFormatter,
  fitsImageFormatter,
  fitsMaskedImageFormatter,
  fitsMaskFormatter,
} from "./fits/fits-image-formatters.ts";
import { fitsTableFormatter } from "./fits/fits-table-formatter.ts";
import type { Formatter } from "./formatter.ts";
import { hdf5Formatter } from "./hdf5/hdf5-formatter.ts";
import { jsonFormatter } from "./json-formatter.ts";
import { packagesFormatter } from "./packages-formatter.ts";
import { parquetFormatter } from "./parquet/parquet-formatter.ts";
import { textFormatter } from "./text-formatter.ts";
import { unsupportedFormatter } from "./unsupported-formatter.ts";
import { yamlFormatter } from "./yaml-formatter.ts";

/** The formatters whose reads and writes work, in the order {@link formatterForExtension} prefers them. */
const RUNNABLE: readonly Formatter[] = [
  jsonFormatter,
  yamlFormatter,
  textFormatter,
  packagesFormatter,
  hdf5Formatter,
  fitsExposureFormatter,
  fitsImageFormatter,
  fitsMaskFormatter,
  fitsMaskedImageFormatter,
  fitsTableFormatter,
  parquetFormatter,
];

/**
 * Every formatter butler-ts knows by name, in the order {@link formatterForExtension} prefers them: the
 * ones it can run, then those it can only name (their reads and writes say why they cannot run).
 */
export const KNOWN_FORMATTERS: readonly Formatter[] = Object.freeze([
  ...RUNNABLE,
  unsupportedFormatter({
    name: "ecsv",
    extensions: [".ecsv"],
    storageClasses: ["AstropyTable", "AstropyQTable"],
    what: "an astropy ECSV table",
    support: "later",
  }),
  unsupportedFormatter({
    name: "logs",
    extensions: [".json", ".log"],
    storageClasses: ["ButlerLogRecords"],
    what: "task log records",
    support: "later",
  }),
  unsupportedFormatter({
    name: "pickle",
    extensions: [".pickle", ".pkl"],
    storageClasses: ["NumpyArray", "SkyMap", "FocalPlaneBackground"],
    what: "a Python pickle",
    support: "never",
  }),
  unsupportedFormatter({
    name: "matplotlib",
    extensions: [".png"],
    storageClasses: ["Plot"],
    what: "a matplotlib figure",
    support: "never",
  }),
]);

/** Formatters whose reads and writes work (the others are names only). */
export const RUNNABLE_FORMATTERS: ReadonlySet<Formatter> = new Set(RUNNABLE);

/** daf_butler's class for each of our formatters that has one (`text` has none). */
const DAF_BUTLER_CLASSES: Readonly<Record<string, string>> = {
  json: "lsst.daf.butler.formatters.json.JsonFormatter",
  yaml: "lsst.daf.butler.formatters.yaml.YamlFormatter",
  packages: "lsst.daf.butler.formatters.packages.PackagesFormatter",
  parquet: "lsst.daf.butler.formatters.parquet.ParquetFormatter",
  ecsv: "lsst.daf.butler.formatters.astropyTable.AstropyTableFormatter",
  logs: "lsst.daf.butler.formatters.logs.ButlerLogRecordsFormatter",
  pickle: "lsst.daf.butler.formatters.pickle.PickleFormatter",
  matplotlib: "lsst.daf.butler.formatters.matplotlib.MatplotlibFormatter",
  "fits-image": "lsst.obs.base.formatters.fitsExposure.FitsImageFormatter",
  "fits-mask": "lsst.obs.base.formatters.fitsExposure.FitsMaskFormatter",
  "fits-masked-image": "lsst.obs.base.formatters.fitsExposure.FitsMaskedImageFormatter",
  "fits-exposure": "lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter",
};

/** Class names older daf_butler versions recorded (modules renamed since). */
const OLD_DAF_BUTLER_CLASSES: Readonly<Record<string, string>> = {
  "lsst.daf.butler.formatters.jsonFormatter.JsonFormatter": "json",
  "lsst.daf.butler.formatters.yamlFormatter.YamlFormatter": "yaml",
  "lsst.daf.butler.formatters.pickleFormatter.PickleFormatter": "pickle",
  "lsst.daf.butler.formatters.parquetFormatter.ParquetFormatter": "parquet",
  "lsst.daf.butler.formatters.matplotlibFormatter.MatplotlibFormatter": "matplotlib",
};

/** File extensions of other packages' formatters that daf_butler's default config names. */
const FOREIGN_EXTENSIONS: Readonly<Record<string, string>> = {
  "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter": ".fits",
  "lsst.pipe.base.formatters.pexConfig.PexConfigFormatter": ".py",
};

const OURS: ReadonlyMap<string, Formatter> = new Map(KNOWN_FORMATTERS.map((f) => [f.name, f]));
const BY_NAME: ReadonlyMap<string, Formatter> = new Map([
  ...OURS,
  ...Object.entries(DAF_BUTLER_CLASSES).map(([ours, name]) => [name, OURS.get(ours) as Formatter] as const),
  ...Object.entries(OLD_DAF_BUTLER_CLASSES).map(
    ([name, ours]) => [name, OURS.get(ours) as Formatter] as const,
  ),
]);

/**
 * The formatter a `file_datastore_records.formatter` value names: our name, or daf_butler's class name
 * (current or older module paths). Never fails: a class butler-ts does not have (obs_base's FITS
 * formatters, ...) gives a formatter of that name that keeps the record intact and refuses to read or
 * write, saying so.
 */
export function formatterForRecord(name: string): Formatter {
  return (
    BY_NAME.get(name) ??
    unsupportedFormatter({
      name,
      extensions: FOREIGN_EXTENSIONS[name] === undefined ? [] : [FOREIGN_EXTENSIONS[name]],
      what: `a file of ${name.split(".").at(-1)}`,
      support: "later",
    })
  );
}

/**
 * The formatter named in a configuration: as {@link formatterForRecord}, but a name that is neither ours
 * nor a dotted class path is a mistake.
 * @throws {FormatterError} for an unknown undotted name, suggesting close ones.
 */
export function formatterNamed(name: string): Formatter {
  const known = BY_NAME.get(name);
  if (known !== undefined || name.includes(".")) return known ?? formatterForRecord(name);
  const ours = KNOWN_FORMATTERS.map((f) => f.name);
  throw new FormatterError(`Unknown formatter "${name}"`, {
    hint: didYouMean(name, ours) ?? `Use one of ${ours.join(", ")}, or a daf_butler formatter class name.`,
  });
}

/** The name to record for files a formatter writes: daf_butler's class name, so daf_butler reads them too. */
export function recordNameOf(formatter: Formatter): string {
  return DAF_BUTLER_CLASSES[formatter.name] ?? formatter.name;
}

/** The formatter for files with this extension (`.json`, `yml`; any case), or undefined. */
export function formatterForExtension(extension: string): Formatter | undefined {
  const wanted = `.${extension.replace(/^\./, "").toLowerCase()}`;
  return KNOWN_FORMATTERS.find((f) => f.extensions.includes(wanted));
}
