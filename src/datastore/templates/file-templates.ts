import { ConfigNode } from "../../config/config-node.ts";
import type { DatasetType } from "../../datasets/dataset-type.ts";
import type { DataCoordinate } from "../../dimensions/data-coordinate.ts";
import type { DimensionUniverse } from "../../dimensions/universe.ts";
import { ConfigError, FileTemplateError } from "../../errors.ts";
import { type LookupMatch, LookupTable } from "../lookup-key.ts";
import { FileTemplate } from "./file-template.ts";

/** daf_butler's `default` template (`configs/datastores/fileDatastore.yaml`). */
export const DEFAULT_TEMPLATE =
  "{run:/}/{datasetType}.{component:?}/{tract:?}/{patch:?}/{day_obs|visit.day_obs|exposure.day_obs:?}/{band:?}/{subfilter:?}/{physical_filter:?}/{visit:?}/{exposure.obs_id|group:?}/{datasetType}_{component:?}_{instrument:?}_{tract:?}_{patch:?}_{band:?}_{physical_filter:?}_{visit:?}_{exposure.obs_id|group:?}_{detector.full_name:?}_{skymap:?}_{skypix:?}_{ssp_hypothesis_table:?}_{ssp_hypothesis_bundle:?}_{ssp_balanced_index:?}_{run}";

/** The key of daf_butler's template for raw-like dataset types. */
export const RAW_TEMPLATE_KEY = "physical_filter+detector+exposure";

/** daf_butler's template for raw-like dataset types: no band or filter directories, no band in the name. */
export const RAW_TEMPLATE =
  "{run:/}/{datasetType}.{component:?}/{day_obs|exposure.day_obs}/{exposure.obs_id}/{datasetType}_{component:?}_{instrument:?}_{physical_filter}_{exposure.obs_id}_{detector.full_name}_{run}";

/** The plain form of a template configuration, as in `butler.yaml`'s `datastore.templates`. */
export type FileTemplatesConfig = Record<string, string | false | Record<string, string>>;

/** Options of {@link FileTemplates.validate}. */
export interface ValidateTemplatesOptions {
  /** Also check what each `instrument<NAME>` section gives for these instruments. */
  readonly instruments?: readonly string[];
}

/**
 * A datastore's file templates with daf_butler's lookup priority: an `instrument<NAME>` section matching the
 * data ID's instrument before the top level; within a level the full dataset type name, then the parent
 * name of a component, then the dimensions (a `dim1+dim2` key matches when both conform to the same
 * dimension group, so `physical_filter+detector+exposure` matches raw's `{instrument, detector, exposure}`),
 * then the storage class name; finally `default`. Frozen.
 *
 * @example FileTemplates.defaults().merged(FileTemplates.fromConfig(butlerYaml.datastore.templates))
 */
export class FileTemplates {
  readonly #lookups: LookupTable<FileTemplate>;
  /** Undefined when not configured (a merge keeps the base's), null when switched off (`default: false`). */
  readonly #default: FileTemplate | null | undefined;

  private constructor(lookups: LookupTable<FileTemplate>, fallback: FileTemplate | null | undefined) {
    this.#lookups = lookups;
    this.#default = fallback;
    Object.freeze(this);
  }

  /**
   * Templates from a `templates` configuration mapping: keys are dataset type names, storage class names,
   * `dim1+dim2` dimension sets, `default` (a template, or `false` to have none) and `instrument<NAME>`
   * sections of the same keys (without `default`). Every template is parsed and its syntax checked.
   * With `universe`, dimension keys must name its dimensions.
   * @throws {ConfigError} for a value of the wrong type, an unsupported section or an unknown dimension,
   *   naming the key's path.
   * @throws {FileTemplateError} for a malformed template, its message starting with the key's path.
   */
  static fromConfig(raw: unknown, path = "datastore.templates", universe?: DimensionUniverse): FileTemplates {
    const node = ConfigNode.of(raw, path);
    let fallback: FileTemplate | null | undefined;
    if (node.keys().includes("default")) {
      const value = node.raw("default");
      fallback =
        value === false || value === null || value === "" ? null : parseAt(value, node.pathOf("default"));
    }
    // The top-level "default" is reserved, so a "default" reaching the parser is inside a section.
    const parse = (value: unknown, keyPath: string, key: string) => {
      if (key !== "default") return parseAt(value, keyPath);
      throw new ConfigError(`"default" is only allowed at the top level of the templates`, { path: keyPath });
    };
    return new FileTemplates(LookupTable.fromConfig(raw, path, parse, ["default"], universe), fallback);
  }

  /** daf_butler's default templates: {@link DEFAULT_TEMPLATE} and {@link RAW_TEMPLATE}. */
  static defaults(): FileTemplates {
    return FileTemplates.fromConfig(
      { default: DEFAULT_TEMPLATE, [RAW_TEMPLATE_KEY]: RAW_TEMPLATE },
      "templates (defaults)",
    );
  }

  /**
   * The template for a dataset of `datasetType`; `dataId` selects an `instrument<NAME>` section.
   * @throws {FileTemplateError} when no key matches and there is no default.
   */
  lookup(datasetType: DatasetType, dataId: DataCoordinate | null): FileTemplate {
    const instrument = dataId?.dimensions.hasDimension("instrument") ? dataId.get("instrument") : undefined;
    const match = this.#match(datasetType, instrument === undefined ? undefined : String(instrument));
    if (match === undefined) throw noTemplate(datasetType);
    return match.value;
  }

  /**
   * Check the template each dataset type gets against it ({@link FileTemplate.validate}).
   * @throws {FileTemplateError} with every failure in its message (and the key that chose the template),
   *   the hint of the first.
   */
  validate(datasetTypes: readonly DatasetType[], options: ValidateTemplatesOptions = {}): void {
    const failures = new Map<string, string | undefined>();
    for (const datasetType of datasetTypes) {
      for (const instrument of [undefined, ...(options.instruments ?? [])]) {
        const match = this.#match(datasetType, instrument);
        if (match === undefined) {
          const error = noTemplate(datasetType);
          failures.set(error.message, error.hint);
          continue;
        }
        try {
          match.value.validate(datasetType);
        } catch (error) {
          if (!(error instanceof FileTemplateError)) throw error;
          failures.set(`${error.message} (via key "${match.key}")`, error.hint);
        }
      }
    }
    if (failures.size === 0) return;
    const [[first, hint]] = failures as unknown as [[string, string | undefined]];
    const message =
      failures.size === 1
        ? first
        : `${failures.size} file template validation failures:\n${[...failures.keys()].join(";\n")}`;
    throw new FileTemplateError(message, { hint });
  }

  /** These templates with `overrides` applied key by key (and `instrument<NAME>` sections key by key). */
  merged(overrides: FileTemplates): FileTemplates {
    return new FileTemplates(
      this.#lookups.merged(overrides.#lookups),
      overrides.#default !== undefined ? overrides.#default : this.#default,
    );
  }

  /** The plain mapping these templates were read from (`default: false` when switched off). */
  toConfig(): FileTemplatesConfig {
    const config: FileTemplatesConfig = {};
    if (this.#default !== undefined) config.default = this.#default?.text ?? false;
    return { ...config, ...this.#lookups.toConfig((template) => template.text) };
  }

  #match(datasetType: DatasetType, instrument: string | undefined): LookupMatch<FileTemplate> | undefined {
    const match = this.#lookups.find(datasetType, instrument);
    if (match !== undefined) return match;
    return this.#default ? { key: "default", value: this.#default } : undefined;
  }
}

/**
 * @throws {ConfigError} when `value` is not a string.
 * @throws {FileTemplateError} for an invalid template, prefixed with `path`.
 */
function parseAt(value: unknown, path: string): FileTemplate {
  if (typeof value !== "string") {
    const nested = value !== null && typeof value === "object";
    throw new ConfigError(
      `expected a template string, found ${nested ? "a mapping or list" : JSON.stringify(value)}`,
      {
        path,
        hint: nested ? "Only instrument<NAME> keys may hold a mapping of templates." : undefined,
      },
    );
  }
  try {
    return FileTemplate.parse(value);
  } catch (error) {
    if (!(error instanceof FileTemplateError)) throw error;
    throw new FileTemplateError(`${path}: ${error.message}`, { hint: error.hint, cause: error });
  }
}

function noTemplate(datasetType: DatasetType): FileTemplateError {
  return new FileTemplateError(
    `No file template for dataset type "${datasetType.name}": no key matches it and there is no default`,
    {
      hint: `Add a template keyed by "${datasetType.name}" (or its storage class "${datasetType.storageClass}") or a "default" to datastore.templates.`,
    },
  );
}
