import { ConfigNode } from "../../config/config-node.ts";
import { type DatasetType, splitDatasetTypeName } from "../../datasets/dataset-type.ts";
import type { DataCoordinate } from "../../dimensions/data-coordinate.ts";
import type { DimensionGroup } from "../../dimensions/group.ts";
import type { DimensionUniverse } from "../../dimensions/universe.ts";
import { ConfigError, FileTemplateError } from "../../errors.ts";
import { didYouMean } from "../../util/suggest.ts";
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

/** The templates of one level (top or an `instrument<NAME>` section), keys in configuration order. */
interface Section {
  readonly entries: ReadonlyMap<string, FileTemplate>;
  /** Keys written `dim1+dim2`, with their dimension names. */
  readonly dimensionKeys: readonly { readonly key: string; readonly names: readonly string[] }[];
}

interface Match {
  readonly key: string;
  readonly template: FileTemplate;
}

const SECTION_KEY = /^([a-z_]+)<(.*)>$/;

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
  readonly #top: Section;
  readonly #instruments: ReadonlyMap<string, Section>;
  /** Undefined when not configured (a merge keeps the base's), null when switched off (`default: false`). */
  readonly #default: FileTemplate | null | undefined;
  readonly #groups = new WeakMap<DimensionUniverse, Map<string, DimensionGroup | null>>();

  private constructor(
    top: ReadonlyMap<string, FileTemplate>,
    instruments: ReadonlyMap<string, ReadonlyMap<string, FileTemplate>>,
    fallback: FileTemplate | null | undefined,
  ) {
    this.#top = section(top);
    this.#instruments = new Map([...instruments].map(([name, entries]) => [name, section(entries)]));
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
    const top = new Map<string, FileTemplate>();
    const instruments = new Map<string, Map<string, FileTemplate>>();
    let fallback: FileTemplate | null | undefined;
    for (const key of node.keys()) {
      const value = node.raw(key);
      const keyPath = node.pathOf(key);
      if (key === "default") {
        fallback = value === false || value === null || value === "" ? null : parseAt(value, keyPath);
        continue;
      }
      const sectionKey = SECTION_KEY.exec(key);
      if (sectionKey !== null) {
        if (sectionKey[1] !== "instrument") {
          throw new ConfigError(`only instrument<NAME> sections are supported, not "${key}"`, {
            path: keyPath,
          });
        }
        instruments.set(sectionKey[2] as string, readSection(ConfigNode.of(value, keyPath), universe));
        continue;
      }
      top.set(checkKey(key, keyPath, universe), parseAt(value, keyPath));
    }
    return new FileTemplates(top, instruments, fallback);
  }

  /** daf_butler's default templates: {@link DEFAULT_TEMPLATE} and {@link RAW_TEMPLATE}. */
  static defaults(): FileTemplates {
    return new FileTemplates(
      new Map([[RAW_TEMPLATE_KEY, FileTemplate.parse(RAW_TEMPLATE)]]),
      new Map(),
      FileTemplate.parse(DEFAULT_TEMPLATE),
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
    return match.template;
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
          match.template.validate(datasetType);
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
    const top = new Map([...this.#top.entries, ...overrides.#top.entries]);
    const instruments = new Map([...this.#instruments].map(([name, s]) => [name, new Map(s.entries)]));
    for (const [name, s] of overrides.#instruments) {
      instruments.set(name, new Map([...(instruments.get(name) ?? []), ...s.entries]));
    }
    return new FileTemplates(
      top,
      instruments,
      overrides.#default !== undefined ? overrides.#default : this.#default,
    );
  }

  /** The plain mapping these templates were read from (`default: false` when switched off). */
  toConfig(): FileTemplatesConfig {
    const config: FileTemplatesConfig = {};
    if (this.#default !== undefined) config.default = this.#default === null ? false : this.#default.text;
    for (const [key, template] of this.#top.entries) config[key] = template.text;
    for (const [name, s] of this.#instruments) {
      config[`instrument<${name}>`] = Object.fromEntries([...s.entries].map(([key, t]) => [key, t.text]));
    }
    return config;
  }

  #match(datasetType: DatasetType, instrument: string | undefined): Match | undefined {
    const scoped = instrument === undefined ? undefined : this.#instruments.get(instrument);
    const inSection = scoped === undefined ? undefined : this.#matchIn(scoped, datasetType);
    if (inSection !== undefined)
      return { key: `instrument<${instrument}>.${inSection.key}`, template: inSection.template };
    const atTop = this.#matchIn(this.#top, datasetType);
    if (atTop !== undefined) return atTop;
    return this.#default ? { key: "default", template: this.#default } : undefined;
  }

  #matchIn(level: Section, datasetType: DatasetType): Match | undefined {
    const [parent, component] = splitDatasetTypeName(datasetType.name);
    for (const key of component === null ? [datasetType.name] : [datasetType.name, parent]) {
      const template = level.entries.get(key);
      if (template !== undefined) return { key, template };
    }
    for (const { key, names } of level.dimensionKeys) {
      if (this.#group(key, names, datasetType.dimensions.universe) === datasetType.dimensions) {
        return { key, template: level.entries.get(key) as FileTemplate };
      }
    }
    const template = level.entries.get(datasetType.storageClass);
    return template === undefined ? undefined : { key: datasetType.storageClass, template };
  }

  /** The group a dimension key conforms to in `universe`, or null when it names unknown dimensions. */
  #group(key: string, names: readonly string[], universe: DimensionUniverse): DimensionGroup | null {
    let groups = this.#groups.get(universe);
    if (groups === undefined) {
      groups = new Map();
      this.#groups.set(universe, groups);
    }
    let group = groups.get(key);
    if (group === undefined) {
      group = conformOrNull(universe, names);
      groups.set(key, group);
    }
    return group;
  }
}

/** daf_butler uses a key naming unknown dimensions as a plain name, which no dataset type matches here. */
function conformOrNull(universe: DimensionUniverse, names: readonly string[]): DimensionGroup | null {
  try {
    return universe.conform(names);
  } catch {
    return null;
  }
}

function section(entries: ReadonlyMap<string, FileTemplate>): Section {
  const dimensionKeys = [...entries.keys()]
    .filter((key) => key.includes("+"))
    .map((key) => Object.freeze({ key, names: Object.freeze(key.split("+").filter((n) => n !== "")) }));
  return Object.freeze({ entries, dimensionKeys: Object.freeze(dimensionKeys) });
}

function readSection(node: ConfigNode, universe: DimensionUniverse | undefined): Map<string, FileTemplate> {
  const entries = new Map<string, FileTemplate>();
  for (const key of node.keys()) {
    const keyPath = node.pathOf(key);
    if (key === "default" || SECTION_KEY.test(key)) {
      throw new ConfigError(`"${key}" is only allowed at the top level of the templates`, { path: keyPath });
    }
    entries.set(checkKey(key, keyPath, universe), parseAt(node.raw(key), keyPath));
  }
  return entries;
}

/** @throws {ConfigError} for an empty key or, with a universe, a dimension key naming unknown dimensions. */
function checkKey(key: string, path: string, universe: DimensionUniverse | undefined): string {
  if (key.trim() === "") throw new ConfigError("a template key cannot be empty", { path });
  if (universe === undefined || !key.includes("+")) return key;
  const dimensions = universe.dimensions.map((d) => d.name);
  const unknown = key.split("+").filter((name) => name !== "" && !dimensions.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`"${unknown[0]}" in dimension key "${key}" is not a dimension of ${universe}`, {
      path,
      hint: didYouMean(unknown[0] as string, dimensions),
    });
  }
  return key;
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
