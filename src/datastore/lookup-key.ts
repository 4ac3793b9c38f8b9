import { ConfigNode } from "../config/config-node.ts";
import { type DatasetType, splitDatasetTypeName } from "../datasets/dataset-type.ts";
import type { DimensionGroup } from "../dimensions/group.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import { ConfigError } from "../errors.ts";
import { didYouMean } from "../util/suggest.ts";

/** A value found for a dataset type, with the key that chose it (`instrument<HSC>.calexp`, `StructuredDataDict`). */
export interface LookupMatch<V> {
  readonly key: string;
  readonly value: V;
}

/** The plain form of a lookup config: values by key, and `instrument<NAME>` sections of them. */
export type LookupConfig<T> = Record<string, T | Record<string, T>>;

/** Reads the config value under lookup key `key`; `path` names it in errors. */
export type LookupValueParser<V> = (value: unknown, path: string, key: string) => V;

/** The entries of one level (the top or an `instrument<NAME>` section), keys in config order. */
interface Level<V> {
  readonly entries: ReadonlyMap<string, V>;
  /** The keys written `dim1+dim2`, with their dimension names. */
  readonly dimensionKeys: readonly { readonly key: string; readonly names: readonly string[] }[];
}

const SECTION_KEY = /^([a-z_]+)<(.*)>$/;

/**
 * Values keyed as daf_butler's lookup configs are (templates, formatters, constraints): by dataset type
 * name, `dim1+dim2` dimension set or storage class name, optionally inside an `instrument<NAME>` section.
 * {@link LookupTable.find} follows daf_butler's priority: every key of the section of the data ID's
 * instrument before any top-level key; within a level the full dataset type name, then the parent name of
 * a component, then the dimensions (a key matches when it conforms to the dataset type's dimension group,
 * so `physical_filter+detector+exposure` matches `{instrument, detector, exposure}`), then the storage
 * class name. Frozen.
 */
export class LookupTable<V> {
  readonly #top: Level<V>;
  readonly #instruments: ReadonlyMap<string, Level<V>>;
  readonly #groups = new WeakMap<DimensionUniverse, Map<string, DimensionGroup | null>>();

  private constructor(top: ReadonlyMap<string, V>, instruments: ReadonlyMap<string, ReadonlyMap<string, V>>) {
    this.#top = level(top);
    this.#instruments = new Map([...instruments].map(([name, entries]) => [name, level(entries)]));
    Object.freeze(this);
  }

  /** A table with no entries. */
  static empty<V>(): LookupTable<V> {
    return new LookupTable(new Map(), new Map());
  }

  /**
   * The lookup entries of a config mapping, each value read by `parse`; keys in `reserved` (such as
   * `default`) are not lookup keys and are skipped. With `universe`, dimension keys must name its
   * dimensions.
   * @throws {ConfigError} for a section other than `instrument<NAME>`, a section inside a section, an
   * empty key, a dimension key naming an unknown dimension, or whatever `parse` throws.
   */
  static fromConfig<V>(
    raw: unknown,
    path: string,
    parse: LookupValueParser<V>,
    reserved: readonly string[] = [],
    universe?: DimensionUniverse,
  ): LookupTable<V> {
    const node = ConfigNode.of(raw ?? {}, path);
    const top = new Map<string, V>();
    const instruments = new Map<string, Map<string, V>>();
    for (const key of node.keys()) {
      if (reserved.includes(key)) continue;
      const keyPath = node.pathOf(key);
      const section = SECTION_KEY.exec(key);
      if (section === null) {
        top.set(checkKey(key, keyPath, universe), parse(node.raw(key), keyPath, key));
        continue;
      }
      if (section[1] !== "instrument") {
        throw new ConfigError(`only instrument<NAME> sections are supported, not "${key}"`, {
          path: keyPath,
        });
      }
      const inner = ConfigNode.of(node.raw(key), keyPath);
      const entries = new Map<string, V>();
      for (const innerKey of inner.keys()) {
        const innerPath = inner.pathOf(innerKey);
        if (SECTION_KEY.test(innerKey)) {
          throw new ConfigError(`"${innerKey}" cannot be inside another section`, { path: innerPath });
        }
        entries.set(checkKey(innerKey, innerPath, universe), parse(inner.raw(innerKey), innerPath, innerKey));
      }
      instruments.set(section[2] as string, entries);
    }
    return new LookupTable(top, instruments);
  }

  /** This table with the entries of `overrides` replacing or adding to its own, key by key. */
  merged(overrides: LookupTable<V>): LookupTable<V> {
    const instruments = new Map([...this.#instruments].map(([name, { entries }]) => [name, entries]));
    for (const [name, { entries }] of overrides.#instruments) {
      instruments.set(name, new Map([...(instruments.get(name) ?? []), ...entries]));
    }
    return new LookupTable(new Map([...this.#top.entries, ...overrides.#top.entries]), instruments);
  }

  /** The value of a top-level key, as written (a storage class name, `calexp`, `visit+detector`). */
  get(key: string): V | undefined {
    return this.#top.entries.get(key);
  }

  /** The value for datasets of `datasetType` (with data IDs of `instrument`), by daf_butler's priority. */
  find(datasetType: DatasetType, instrument?: string): LookupMatch<V> | undefined {
    const section = instrument === undefined ? undefined : this.#instruments.get(instrument);
    const match = section === undefined ? undefined : this.#findIn(section, datasetType);
    if (match !== undefined) return { key: `instrument<${instrument}>.${match.key}`, value: match.value };
    return this.#findIn(this.#top, datasetType);
  }

  /** The plain config mapping of the entries, each value written by `write`; sections after the top-level keys. */
  toConfig<T>(write: (value: V) => T): LookupConfig<T> {
    const config: LookupConfig<T> = {};
    for (const [key, value] of this.#top.entries) config[key] = write(value);
    for (const [name, { entries }] of this.#instruments) {
      config[`instrument<${name}>`] = Object.fromEntries(
        [...entries].map(([key, value]) => [key, write(value)]),
      );
    }
    return config;
  }

  #findIn(level: Level<V>, datasetType: DatasetType): LookupMatch<V> | undefined {
    const [parent, component] = splitDatasetTypeName(datasetType.name);
    for (const key of component === null ? [datasetType.name] : [datasetType.name, parent]) {
      const value = level.entries.get(key);
      if (value !== undefined) return { key, value };
    }
    const { dimensions } = datasetType;
    for (const { key, names } of level.dimensionKeys) {
      if (this.#group(key, names, dimensions.universe) === dimensions) {
        return { key, value: level.entries.get(key) as V };
      }
    }
    const value = level.entries.get(datasetType.storageClass);
    return value === undefined ? undefined : { key: datasetType.storageClass, value };
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

function level<V>(entries: ReadonlyMap<string, V>): Level<V> {
  const dimensionKeys = [...entries.keys()]
    .filter((key) => key.includes("+"))
    .map((key) => Object.freeze({ key, names: Object.freeze(key.split("+").filter((name) => name !== "")) }));
  return Object.freeze({ entries, dimensionKeys: Object.freeze(dimensionKeys) });
}

/** @throws {ConfigError} for an empty key or, with a universe, a dimension key naming unknown dimensions. */
function checkKey(key: string, path: string, universe: DimensionUniverse | undefined): string {
  if (key.trim() === "") throw new ConfigError("a lookup key cannot be empty", { path });
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
