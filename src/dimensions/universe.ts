import { DimensionNameError } from "../errors.ts";
import { didYouMean } from "../util/suggest.ts";
import { buildElements } from "./build-elements.ts";
import { type DimensionConfig, parseDimensionConfig } from "./dimension-config.ts";
import { Dimension, type DimensionElement, type SkyPixDimension } from "./elements.ts";
import { DimensionGroup } from "./group.ts";
import type { SkyPixSystem, TopologicalFamily } from "./topology.ts";

const MAX_CONFORMED = 4096;

/**
 * A complete, self-consistent set of dimensions and their relationships, built from daf_butler's
 * `dimensions.yaml` format and identified by `(namespace, version)`. Frozen; groups are cached per universe.
 *
 * @example
 * const universe = DimensionUniverse.fromDocument(YAML.parse(text));
 * universe.conform(["visit", "detector"]).required; // ["instrument", "detector", "visit"]
 */
export class DimensionUniverse {
  readonly version: number;
  readonly namespace: string;
  /** The validated configuration this universe was built from. */
  readonly config: DimensionConfig;
  /** Every element, dependencies first, ties broken by name (daf_butler's order). */
  readonly elements: readonly DimensionElement[];
  /** Every dimension (elements with keys, including skypix), in element order. */
  readonly dimensions: readonly Dimension[];
  /** Governor dimensions (instrument, skymap). */
  readonly governors: readonly Dimension[];
  readonly skyPixSystems: readonly SkyPixSystem[];
  /** Spatial and temporal families of database elements. */
  readonly families: readonly TopologicalFamily[];
  /** The skypix dimension that relates all spatial elements (`htm7` by default). */
  readonly commonSkyPix: SkyPixDimension;
  /** The group with no dimensions. */
  readonly empty: DimensionGroup;
  readonly #byName: ReadonlyMap<string, DimensionElement>;
  readonly #dimensionIndex: ReadonlyMap<string, number>;
  readonly #families: ReadonlyMap<string, TopologicalFamily | SkyPixSystem>;
  readonly #groups = new Map<string, DimensionGroup>();
  readonly #conformed = new Map<string, DimensionGroup>();

  private constructor(config: DimensionConfig) {
    this.version = config.version;
    this.namespace = config.namespace;
    this.config = config;
    const parts = buildElements(this, config);
    this.elements = Object.freeze(parts.elements);
    this.dimensions = Object.freeze(parts.dimensions);
    this.governors = Object.freeze(parts.dimensions.filter((d) => d.kind === "governor"));
    this.skyPixSystems = Object.freeze(parts.skyPixSystems);
    this.families = Object.freeze(parts.families);
    this.commonSkyPix = parts.commonSkyPix;
    this.#byName = new Map(parts.elements.map((element) => [element.name, element]));
    this.#dimensionIndex = new Map(parts.dimensions.map((dimension, i) => [dimension.name, i]));
    this.#families = new Map<string, TopologicalFamily | SkyPixSystem>([
      ...parts.families.map((f) => [f.name, f] as const),
      ...parts.skyPixSystems.map((s) => [s.name, s] as const),
    ]);
    for (const element of parts.elements) Object.freeze(element);
    this.empty = new DimensionGroup(this, []);
    Object.freeze(this);
  }

  /**
   * Build a universe from a validated configuration.
   * @throws {ConfigError} when elements reference unknown dimensions, form a cycle, or families disagree.
   */
  static fromConfig(config: DimensionConfig): DimensionUniverse {
    return new DimensionUniverse(config);
  }

  /**
   * Build a universe from a parsed `dimensions.yaml` (or `config:dimensions.json`) document.
   * @throws {ConfigError} naming the path of the first bad key.
   */
  static fromDocument(document: unknown): DimensionUniverse {
    return new DimensionUniverse(parseDimensionConfig(document));
  }

  /** Whether an element of that name exists. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /**
   * The element of that name.
   * @throws {DimensionNameError} when there is none, with close names in the hint.
   */
  element(name: string): DimensionElement {
    const element = this.#byName.get(name);
    if (element === undefined) {
      throw new DimensionNameError(`Unknown dimension element "${name}" in universe ${this}`, {
        hint: didYouMean(name, this.#byName.keys()),
      });
    }
    return element;
  }

  /**
   * The dimension of that name.
   * @throws {DimensionNameError} when there is none or it is a combination (no keys of its own).
   */
  dimension(name: string): Dimension {
    const element = this.#byName.get(name);
    if (element instanceof Dimension) return element;
    if (element !== undefined) {
      throw new DimensionNameError(`"${name}" is a dimension element but not a dimension (it has no keys)`, {
        hint: `Use its dimensions instead: ${element.required.map((d) => d.name).join(", ")}.`,
      });
    }
    throw new DimensionNameError(`Unknown dimension "${name}" in universe ${this}`, {
      hint: didYouMean(name, this.#dimensionIndex.keys()),
    });
  }

  /** The topological family or skypix system of that name. */
  family(name: string): TopologicalFamily | SkyPixSystem {
    const family = this.#families.get(name);
    if (family === undefined)
      throw new DimensionNameError(`Unknown topological family "${name}" in universe ${this}`);
    return family;
  }

  /** Position of the element in universe order. @throws {DimensionNameError} for unknown names. */
  getElementIndex(name: string): number {
    return this.element(name).index;
  }

  /** Position of the dimension among dimensions only. @throws {DimensionNameError} for unknown names. */
  getDimensionIndex(name: string): number {
    const index = this.#dimensionIndex.get(name);
    // For a name that is not a dimension, dimension() throws the error that explains why.
    if (index === undefined) this.dimension(name);
    return index as number;
  }

  /**
   * The group of the given dimensions plus everything they require or imply.
   * @example universe.conform(["visit"]).names // ["band", "instrument", "day_obs", "physical_filter", "visit"]
   * @throws {DimensionNameError} for a name that is not a dimension.
   */
  conform(names: Iterable<string> | DimensionGroup): DimensionGroup {
    if (names instanceof DimensionGroup) {
      if (names.universe === this) return names;
      names = names.names;
    }
    const given = [...names];
    const givenKey = given.join(",");
    const known = this.#conformed.get(givenKey);
    if (known !== undefined) return known;
    const group = this.#expand(given);
    // Data IDs with the same keys come in the thousands; remember how each key list was conformed.
    if (this.#conformed.size >= MAX_CONFORMED) this.#conformed.clear();
    this.#conformed.set(givenKey, group);
    return group;
  }

  #expand(given: readonly string[]): DimensionGroup {
    const closure = new Set<string>();
    const todo = [...given];
    while (todo.length > 0) {
      const name = todo.pop() as string;
      if (closure.has(name)) continue;
      const dimension = this.dimension(name);
      closure.add(name);
      for (const d of dimension.required) if (!closure.has(d.name)) todo.push(d.name);
      for (const d of dimension.implied) if (!closure.has(d.name)) todo.push(d.name);
    }
    const sorted = this.sorted(closure);
    const key = sorted.join(",");
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = new DimensionGroup(this, sorted);
      this.#groups.set(key, group);
    }
    return group;
  }

  /** The given dimension names in universe order. @throws {DimensionNameError} for unknown names. */
  sorted(names: Iterable<string>): string[] {
    return [...names].sort((a, b) => this.getDimensionIndex(a) - this.getDimensionIndex(b));
  }

  /** Whether repositories of `other` can exchange data with this one (same namespace). */
  isCompatibleWith(other: DimensionUniverse): boolean {
    return this.namespace === other.namespace;
  }

  toString(): string {
    return `${this.namespace}@${this.version}`;
  }
}
