import { ConfigNode } from "../../config/config-node.ts";
import { type DatasetType, splitDatasetTypeName } from "../../datasets/dataset-type.ts";
import type { DimensionGroup } from "../../dimensions/group.ts";
import type { DimensionUniverse } from "../../dimensions/universe.ts";
import { ConfigError } from "../../errors.ts";

/** A value found for a dataset type, with the key that chose it (`instrument<HSC>.calexp`, `StructuredDataDict`). */
export interface LookupMatch<V> {
  readonly key: string;
  readonly value: V;
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
  /** Entries by instrument (`""` for the top level), then by key. */
  readonly #levels: ReadonlyMap<string, ReadonlyMap<string, V>>;
  readonly #groups = new WeakMap<DimensionUniverse, Map<string, DimensionGroup | null>>();

  private constructor(levels: ReadonlyMap<string, ReadonlyMap<string, V>>) {
    this.#levels = levels;
    Object.freeze(this);
  }

  /** A table with no entries. */
  static empty<V>(): LookupTable<V> {
    return new LookupTable(new Map());
  }

  /**
   * The lookup entries of a config mapping, each value read by `parse`; keys in `reserved` (such as
   * `default`) are not lookup keys and are skipped.
   * @throws {ConfigError} for a section other than `instrument<NAME>`, a section inside a section, an
   * empty key, or whatever `parse` throws.
   */
  static fromConfig<V>(
    raw: unknown,
    path: string,
    parse: (value: unknown, path: string) => V,
    reserved: readonly string[] = [],
  ): LookupTable<V> {
    const node = ConfigNode.of(raw ?? {}, path);
    const levels = new Map<string, Map<string, V>>([["", new Map()]]);
    for (const key of node.keys()) {
      if (reserved.includes(key)) continue;
      const section = SECTION_KEY.exec(key);
      if (section === null) {
        (levels.get("") as Map<string, V>).set(
          checkKey(key, node.pathOf(key)),
          parse(node.raw(key), node.pathOf(key)),
        );
        continue;
      }
      if (section[1] !== "instrument") {
        throw new ConfigError(`only instrument<NAME> sections are supported, not "${key}"`, {
          path: node.pathOf(key),
        });
      }
      const inner = ConfigNode.of(node.raw(key), node.pathOf(key));
      const entries = new Map<string, V>();
      for (const innerKey of inner.keys()) {
        if (SECTION_KEY.test(innerKey)) {
          throw new ConfigError(`"${innerKey}" cannot be inside another section`, {
            path: inner.pathOf(innerKey),
          });
        }
        entries.set(
          checkKey(innerKey, inner.pathOf(innerKey)),
          parse(inner.raw(innerKey), inner.pathOf(innerKey)),
        );
      }
      levels.set(section[2] as string, entries);
    }
    return new LookupTable(levels);
  }

  /** This table with the entries of `overrides` replacing or adding to its own, key by key. */
  merged(overrides: LookupTable<V>): LookupTable<V> {
    const levels = new Map<string, Map<string, V>>(
      [...this.#levels].map(([name, level]) => [name, new Map(level)]),
    );
    for (const [name, level] of overrides.#levels) {
      levels.set(name, new Map([...(levels.get(name) ?? []), ...level]));
    }
    return new LookupTable(levels);
  }

  /** The value of a top-level key, as written (a storage class name, `calexp`, `visit+detector`). */
  get(key: string): V | undefined {
    return this.#levels.get("")?.get(key);
  }

  /** The value for datasets of `datasetType` (with data IDs of `instrument`), by daf_butler's priority. */
  find(datasetType: DatasetType, instrument?: string): LookupMatch<V> | undefined {
    const section = instrument === undefined ? undefined : this.#levels.get(instrument);
    if (section !== undefined) {
      const match = this.#findIn(section, datasetType);
      if (match !== undefined) return { key: `instrument<${instrument}>.${match.key}`, value: match.value };
    }
    const top = this.#levels.get("");
    return top === undefined ? undefined : this.#findIn(top, datasetType);
  }

  #findIn(level: ReadonlyMap<string, V>, datasetType: DatasetType): LookupMatch<V> | undefined {
    const [parent, component] = splitDatasetTypeName(datasetType.name);
    const names = component === null ? [datasetType.name] : [datasetType.name, parent];
    for (const key of names) {
      const value = level.get(key);
      if (value !== undefined) return { key, value };
    }
    for (const [key, value] of level) {
      if (key.includes("+") && this.#group(key, datasetType.dimensions.universe) === datasetType.dimensions) {
        return { key, value };
      }
    }
    const value = level.get(datasetType.storageClass);
    return value === undefined ? undefined : { key: datasetType.storageClass, value };
  }

  /** The group a dimension key conforms to, or null when it names unknown dimensions (daf_butler then uses it as a plain name). */
  #group(key: string, universe: DimensionUniverse): DimensionGroup | null {
    let groups = this.#groups.get(universe);
    if (groups === undefined) {
      groups = new Map();
      this.#groups.set(universe, groups);
    }
    let group = groups.get(key);
    if (group === undefined) {
      try {
        group = universe.conform(key.split("+").filter((name) => name !== ""));
      } catch {
        group = null;
      }
      groups.set(key, group);
    }
    return group;
  }
}

function checkKey(key: string, path: string): string {
  if (key.trim() === "") throw new ConfigError("a lookup key cannot be empty", { path });
  return key;
}
