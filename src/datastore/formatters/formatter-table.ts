import { ConfigNode } from "../../config/config-node.ts";
import type { DatasetType } from "../../datasets/dataset-type.ts";
import type { DataCoordinate } from "../../dimensions/data-coordinate.ts";
import { ConfigError, FormatterError } from "../../errors.ts";
import { LookupTable } from "../lookup-key.ts";
import { DEFAULT_FORMATTER_CONFIG } from "./default-formatter-config.ts";
import type { Formatter, FormatterWriteOptions } from "./formatter.ts";
import {
  formatterForExtension,
  formatterForRecord,
  formatterNamed,
  RUNNABLE_FORMATTERS,
  recordNameOf,
} from "./formatter-names.ts";

/** A formatter chosen by a config entry, with the write parameters the entry gives it. */
interface FormatterChoice {
  readonly formatter: Formatter;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** Keys of a formatters section that are not lookup keys. */
const RESERVED = ["default", "write_recipes"];

/**
 * Which formatter writes which datasets, and how formatters are found by name, record and extension. Made
 * from daf_butler's formatter config shape (`datastore.formatters`): `<key>: <formatter>` or `<key>:
 * {formatter: <formatter>, parameters: {...}}`, keys as in {@link LookupTable} (dataset type, `dim1+dim2`,
 * storage class, `instrument<NAME>` sections), `default: {<formatter>: {param: value}}` for write
 * parameters of every use of a formatter; `write_recipes` is accepted and left to formatters that will use
 * it (FITS). A formatter is named by our name (`json`) or daf_butler's class name. Frozen.
 *
 * @example FormatterTable.defaults().withOverrides(butlerYaml.datastore.formatters, "datastore.formatters")
 */
export class FormatterTable {
  readonly #lookups: LookupTable<FormatterChoice>;
  /** `default` write parameters by formatter name. */
  readonly #defaults: ReadonlyMap<string, Readonly<Record<string, unknown>>>;

  private constructor(
    lookups: LookupTable<FormatterChoice>,
    defaults: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
  ) {
    this.#lookups = lookups;
    this.#defaults = defaults;
    Object.freeze(this);
  }

  /** daf_butler's default choices (StructuredDataDict: yaml, int/TaskMetadata/Timespan: json, ...), plus `Text`: text. */
  static defaults(): FormatterTable {
    return FormatterTable.fromConfig(DEFAULT_FORMATTER_CONFIG, "formatters (defaults)");
  }

  /**
   * The choices of a formatters config section alone.
   * @throws {ConfigError} naming the path of a malformed entry, an unknown formatter name, or a write
   * parameter the formatter does not accept.
   */
  static fromConfig(raw: unknown, path = "datastore.formatters"): FormatterTable {
    const node = ConfigNode.of(raw ?? {}, path);
    const defaults = new Map<string, Readonly<Record<string, unknown>>>();
    const section = node.node("default", { optional: true });
    for (const name of section?.keys() ?? []) {
      const at = `${node.pathOf("default")}.${name}`;
      const formatter = named(name, at);
      defaults.set(formatter.name, parametersFor(formatter, section?.raw(name), at));
    }
    // Only checked to be a mapping: the FITS formatters that use write recipes are not written yet.
    node.node("write_recipes", { optional: true });
    return new FormatterTable(LookupTable.fromConfig(raw, path, parseChoice, RESERVED), defaults);
  }

  /**
   * This table with a formatters config section over it, key by key (what a repository's
   * `datastore.formatters` does to the defaults).
   * @throws {ConfigError} as {@link FormatterTable.fromConfig}.
   */
  withOverrides(raw: unknown, path = "datastore.formatters"): FormatterTable {
    const overrides = FormatterTable.fromConfig(raw, path);
    return new FormatterTable(
      this.#lookups.merged(overrides.#lookups),
      new Map([...this.#defaults, ...overrides.#defaults]),
    );
  }

  /**
   * The formatter to write datasets of `datasetType` (its config write parameters applied to every
   * `write`), by daf_butler's lookup priority; `dataId` selects an `instrument<NAME>` section. Null when
   * no entry matches.
   */
  lookup(datasetType: DatasetType, dataId?: DataCoordinate | null): Formatter | null {
    const instrument = dataId?.dimensions.hasDimension("instrument") ? dataId.get("instrument") : undefined;
    const match = this.#lookups.find(datasetType, instrument === undefined ? undefined : String(instrument));
    return match === undefined ? null : this.#bind(match.value);
  }

  /** The formatter configured for a storage class name itself (no dataset type or dimension entries), or null. */
  forStorageClass(storageClass: string): Formatter | null {
    const choice = this.#lookups.get(storageClass);
    return choice === undefined ? null : this.#bind(choice);
  }

  /**
   * A formatter by our name or daf_butler's class name.
   * @throws {FormatterError} for an unknown name that is not a class path, suggesting close ones.
   */
  get(name: string): Formatter {
    return formatterNamed(name);
  }

  /** The formatter a datastore record names; never fails (see {@link formatterForRecord}). */
  forRecord(name: string): Formatter {
    return formatterForRecord(name);
  }

  /** daf_butler's class name for a formatter, to record with the files it writes. */
  recordNameOf(formatter: Formatter): string {
    return recordNameOf(formatter);
  }

  /** The formatter for files with this extension (`.json`, `.yaml`, `.txt`, ...), or undefined. */
  forExtension(extension: string): Formatter | undefined {
    return formatterForExtension(extension);
  }

  #bind(choice: FormatterChoice): Formatter {
    const parameters = { ...this.#defaults.get(choice.formatter.name), ...choice.parameters };
    return Object.keys(parameters).length === 0
      ? choice.formatter
      : withWriteParameters(choice.formatter, parameters);
  }
}

/** `formatter` with `parameters` given to every write (a call's own parameters win). */
function withWriteParameters(formatter: Formatter, parameters: Readonly<Record<string, unknown>>): Formatter {
  return Object.freeze({
    name: formatter.name,
    extension: formatter.extension,
    extensions: formatter.extensions,
    storageClasses: formatter.storageClasses,
    writeParameters: formatter.writeParameters,
    appliesReadOptions: formatter.appliesReadOptions,
    read: formatter.read.bind(formatter),
    write: (object: unknown, options?: FormatterWriteOptions) =>
      formatter.write(object, { ...options, parameters: { ...parameters, ...options?.parameters } }),
  });
}

function parseChoice(raw: unknown, path: string): FormatterChoice {
  if (typeof raw === "string") return { formatter: named(raw, path), parameters: {} };
  const node = ConfigNode.of(raw, path);
  node.rejectUnknownKeys(["formatter", "parameters"]);
  const formatter = named(node.string("formatter"), node.pathOf("formatter"));
  return {
    formatter,
    parameters: parametersFor(formatter, node.raw("parameters"), node.pathOf("parameters")),
  };
}

/** @throws {ConfigError} for an unknown formatter name. */
function named(name: string, path: string): Formatter {
  try {
    return formatterNamed(name);
  } catch (error) {
    if (!(error instanceof FormatterError)) throw error;
    throw new ConfigError(error.message, { path, hint: error.hint, cause: error });
  }
}

/** Write parameters of a config entry, checked against the formatter when butler-ts runs it. */
function parametersFor(formatter: Formatter, raw: unknown, path: string): Readonly<Record<string, unknown>> {
  if (raw === undefined || raw === null) return {};
  const node = ConfigNode.of(raw, path);
  const accepted = formatter.writeParameters;
  for (const key of node.keys()) {
    if (RUNNABLE_FORMATTERS.has(formatter) && !accepted.includes(key)) {
      throw new ConfigError(`formatter "${formatter.name}" has no write parameter "${key}"`, {
        path: node.pathOf(key),
        hint: accepted.length === 0 ? "It takes none: remove it." : `It accepts: ${accepted.join(", ")}.`,
      });
    }
  }
  return Object.freeze(Object.fromEntries(node.keys().map((key) => [key, node.raw(key)])));
}
