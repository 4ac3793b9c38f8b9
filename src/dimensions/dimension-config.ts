import { ConfigNode, childPath } from "../config/config-node.ts";
import { ConfigError } from "../errors.ts";

/** Types a dimension record column may have in daf_butler's `dimensions.yaml`. */
export type ColumnType = "int" | "string" | "float" | "hash" | "bool";

/** A key or metadata column of a dimension element. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly doc: string;
  /** Key columns are never nullable; metadata columns are unless the config says otherwise. */
  readonly nullable: boolean;
  /** Maximum length of a `string` column. */
  readonly length: number | undefined;
  /** Size in bytes of a `hash` column. */
  readonly nbytes: number | undefined;
}

/** One entry of the `elements` section, with daf_butler's legacy `storage` key translated. */
export interface ElementConfig {
  readonly name: string;
  readonly doc: string;
  /** First = primary key, rest = alternate keys; empty for a dimension combination. */
  readonly keys: readonly ColumnSpec[];
  readonly requires: readonly string[];
  readonly implies: readonly string[];
  readonly metadata: readonly ColumnSpec[];
  readonly governor: boolean;
  readonly isCached: boolean;
  readonly impliedUnionTarget: string | null;
  readonly alwaysJoin: boolean;
  readonly populatedBy: string | null;
}

/** One sky pixelization system of the `skypix` section (`htm`, `healpix`, ...). */
export interface SkyPixSystemConfig {
  readonly name: string;
  /** daf_butler's pixelization class name, e.g. `lsst.sphgeom.HtmPixelization`. */
  readonly pixelizationClass: string;
  readonly minLevel: number;
  readonly maxLevel: number;
}

/** A spatial or temporal family of the `topology` section: members ordered fine to coarse. */
export interface TopologicalFamilyConfig {
  readonly name: string;
  readonly space: "spatial" | "temporal";
  readonly members: readonly string[];
}

/** A validated `dimensions.yaml`: the definition of a dimension universe. */
export interface DimensionConfig {
  readonly version: number;
  readonly namespace: string;
  /** Name of the skypix dimension that relates all spatial elements, e.g. `htm7`. */
  readonly commonSkyPix: string;
  readonly skyPixSystems: readonly SkyPixSystemConfig[];
  readonly elements: readonly ElementConfig[];
  readonly families: readonly TopologicalFamilyConfig[];
  /** The document as given, kept verbatim so a repository can store it (`config:dimensions.json`). */
  readonly document: unknown;
}

/** Namespace of universes whose config does not name one (daf_butler's default). */
export const DEFAULT_NAMESPACE = "daf_butler";

/** Maximum levels of the pixelization classes daf_butler knows, used when `max_level` is absent. */
const PIXELIZATION_MAX_LEVELS: Readonly<Record<string, number>> = {
  "lsst.sphgeom.HtmPixelization": 24,
  "lsst.sphgeom.HealpixPixelization": 17,
  "lsst.sphgeom.Q3cPixelization": 30,
  "lsst.sphgeom.Mq3cPixelization": 30,
};

const LEGACY_STORAGE = {
  governor: "lsst.daf.butler.registry.dimensions.governor.BasicGovernorDimensionRecordStorage",
  table: "lsst.daf.butler.registry.dimensions.table.TableDimensionRecordStorage",
  query: "lsst.daf.butler.registry.dimensions.query.QueryDimensionRecordStorage",
  caching: "lsst.daf.butler.registry.dimensions.caching.CachingDimensionRecordStorage",
} as const;

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TOP_KEYS = ["version", "namespace", "skypix", "elements", "topology", "packers"];
const ELEMENT_KEYS = [
  "doc",
  "keys",
  "requires",
  "implies",
  "metadata",
  "governor",
  "is_cached",
  "implied_union_target",
  "always_join",
  "populated_by",
  "storage",
];
const COLUMN_KEYS = ["name", "type", "doc", "nullable", "length", "nbytes"];

/**
 * Validate a parsed `dimensions.yaml` document (daf_butler's format, any universe version) into a
 * frozen {@link DimensionConfig}. Relationships between elements are checked when the universe is built.
 * @throws {ConfigError} naming the path of the first bad key, e.g. `elements.visit.keys[0].type: ...`.
 */
export function parseDimensionConfig(document: unknown): DimensionConfig {
  const top = ConfigNode.of(document, "");
  top.rejectUnknownKeys(TOP_KEYS);
  const version = top.integer("version");
  const namespace = top.string("namespace", DEFAULT_NAMESPACE);
  const skypix = top.node("skypix");
  const commonSkyPix = skypix.string("common");
  const skyPixSystems = skypix
    .keys()
    .filter((key) => key !== "common")
    .map((name) => parseSkyPixSystem(name, skypix.node(name)));
  if (skyPixSystems.length === 0) {
    throw new ConfigError("defines no pixelization system", { path: "skypix" });
  }
  const elementsNode = top.node("elements");
  const elements = elementsNode.keys().map((name) => parseElement(name, elementsNode.node(name)));
  const families = parseTopology(top.node("topology", { optional: true }));
  return Object.freeze({
    version,
    namespace,
    commonSkyPix,
    skyPixSystems: Object.freeze(skyPixSystems),
    elements: Object.freeze(elements),
    families: Object.freeze(families),
    document,
  });
}

function checkIdentifier(name: string, path: string, what: string): void {
  if (!IDENTIFIER.test(name)) {
    throw new ConfigError(
      `${what} "${name}" is not a valid name (letters, digits and _, not starting with a digit)`,
      {
        path,
      },
    );
  }
}

function parseSkyPixSystem(name: string, node: ConfigNode): SkyPixSystemConfig {
  checkIdentifier(name, node.path, "pixelization system");
  node.rejectUnknownKeys(["class", "min_level", "max_level"]);
  const pixelizationClass = node.string("class");
  const knownMax = PIXELIZATION_MAX_LEVELS[pixelizationClass];
  if (knownMax === undefined && !node.has("max_level")) {
    throw new ConfigError(`unknown pixelization class "${pixelizationClass}" and no max_level given`, {
      path: node.pathOf("class"),
      hint: `Known classes: ${Object.keys(PIXELIZATION_MAX_LEVELS).join(", ")}.`,
    });
  }
  const minLevel = node.integer("min_level", 1);
  const maxLevel = node.integer("max_level", knownMax);
  if (minLevel < 0 || maxLevel < minLevel) {
    throw new ConfigError(`levels must satisfy 0 <= min_level <= max_level, found ${minLevel}..${maxLevel}`, {
      path: node.path,
    });
  }
  return Object.freeze({ name, pixelizationClass, minLevel, maxLevel });
}

function parseColumn(value: unknown, path: string, role: "key" | "metadata"): ColumnSpec {
  const node = ConfigNode.of(value, path);
  node.rejectUnknownKeys(COLUMN_KEYS);
  const name = node.string("name");
  checkIdentifier(name, node.pathOf("name"), "column");
  const type = node.string("type");
  const allowed: readonly string[] =
    role === "key" ? ["int", "string", "hash"] : ["int", "string", "float", "hash", "bool"];
  if (!allowed.includes(type)) {
    throw new ConfigError(
      `type "${type}" is not allowed for a ${role} column; use one of ${allowed.join(", ")}`,
      {
        path: node.pathOf("type"),
      },
    );
  }
  const length = type === "string" ? node.integer("length") : undefined;
  const nbytes = type === "hash" ? node.integer("nbytes") : undefined;
  if (length !== undefined && length <= 0) {
    throw new ConfigError(`length must be positive, found ${length}`, { path: node.pathOf("length") });
  }
  if (nbytes !== undefined && nbytes <= 0) {
    throw new ConfigError(`nbytes must be positive, found ${nbytes}`, { path: node.pathOf("nbytes") });
  }
  return Object.freeze({
    name,
    type: type as ColumnType,
    doc: node.string("doc", ""),
    nullable: role === "key" ? false : node.boolean("nullable", true),
    length,
    nbytes,
  });
}

interface StorageTraits {
  readonly isCached: boolean;
  readonly impliedUnionTarget: string | null;
}

/** daf_butler's legacy `storage: {cls: ...}` block, translated into `is_cached`/`implied_union_target`. */
function parseLegacyStorage(node: ConfigNode): StorageTraits {
  const cls = node.string("cls");
  switch (cls) {
    case LEGACY_STORAGE.governor:
      node.rejectUnknownKeys(["cls"]);
      return { isCached: true, impliedUnionTarget: null };
    case LEGACY_STORAGE.table:
      node.rejectUnknownKeys(["cls"]);
      return { isCached: false, impliedUnionTarget: null };
    case LEGACY_STORAGE.query:
      node.rejectUnknownKeys(["cls", "view_of"]);
      return { isCached: false, impliedUnionTarget: node.string("view_of") };
    case LEGACY_STORAGE.caching: {
      node.rejectUnknownKeys(["cls", "nested"]);
      const nested = parseLegacyStorage(node.node("nested"));
      return { isCached: true, impliedUnionTarget: nested.impliedUnionTarget };
    }
    default:
      throw new ConfigError(`unknown storage class "${cls}"`, {
        path: node.pathOf("cls"),
        hint: `Known storage classes: ${Object.values(LEGACY_STORAGE).join(", ")}.`,
      });
  }
}

function parseElement(name: string, node: ConfigNode): ElementConfig {
  checkIdentifier(name, node.path, "element");
  node.rejectUnknownKeys(ELEMENT_KEYS);
  const keys = node
    .list("keys")
    .map((value, i) => parseColumn(value, childPath(node.pathOf("keys"), i), "key"));
  const metadata = node
    .list("metadata")
    .map((value, i) => parseColumn(value, childPath(node.pathOf("metadata"), i), "metadata"));
  const columnNames = new Set<string>();
  for (const [i, column] of [...keys, ...metadata].entries()) {
    const path =
      i < keys.length
        ? childPath(node.pathOf("keys"), i)
        : childPath(node.pathOf("metadata"), i - keys.length);
    if (columnNames.has(column.name))
      throw new ConfigError(`column "${column.name}" is defined twice`, { path });
    columnNames.add(column.name);
  }
  const governor = node.boolean("governor", false);
  let isCached = node.boolean("is_cached", false);
  let impliedUnionTarget = node.optionalString("implied_union_target") ?? null;
  const storage = node.node("storage", { optional: true });
  if (storage !== undefined) ({ isCached, impliedUnionTarget } = parseLegacyStorage(storage));
  const config: ElementConfig = {
    name,
    doc: node.string("doc", ""),
    keys: Object.freeze(keys),
    requires: Object.freeze([...node.stringList("requires")]),
    implies: Object.freeze([...node.stringList("implies")]),
    metadata: Object.freeze(metadata),
    governor,
    isCached: governor || isCached,
    impliedUnionTarget,
    alwaysJoin: node.boolean("always_join", false),
    populatedBy: node.optionalString("populated_by") ?? null,
  };
  checkElementShape(config, node);
  return Object.freeze(config);
}

/** daf_butler's per-element rules, checked before any relationship is looked at. */
function checkElementShape(config: ElementConfig, node: ConfigNode): void {
  const fail = (message: string, key?: string) =>
    new ConfigError(message, { path: key === undefined ? node.path : node.pathOf(key) });
  const [primaryKey, ...alternateKeys] = config.keys;
  if (primaryKey !== undefined && primaryKey.type === "hash") {
    throw fail(`the primary key (first of keys) must be int or string, not hash`, "keys");
  }
  if (primaryKey !== undefined) {
    if (config.alwaysJoin)
      throw fail("a dimension (an element with keys) may not have always_join", "always_join");
    if (config.populatedBy !== null)
      throw fail("a dimension (an element with keys) may not have populated_by", "populated_by");
  } else if (config.requires.length === 0) {
    throw fail(
      "an element without keys (a dimension combination) must require at least one dimension",
      "requires",
    );
  }
  if (config.governor) {
    for (const key of ["requires", "implies", "always_join", "populated_by", "implied_union_target"]) {
      if (node.has(key)) throw fail(`a governor dimension may not have ${key}`, key);
    }
    if (primaryKey === undefined) throw fail("a governor dimension needs a primary key", "keys");
    if (primaryKey.type !== "string" || (primaryKey.length ?? 0) > 128) {
      throw fail("a governor's primary key must be a string of length at most 128", "keys");
    }
  }
  if (config.impliedUnionTarget !== null) {
    if (primaryKey === undefined) throw fail("an implied-union dimension needs a primary key", "keys");
    if (config.requires.length > 0)
      throw fail("an implied-union dimension may not require other dimensions", "requires");
    if (config.implies.length > 0)
      throw fail("an implied-union dimension may not imply other dimensions", "implies");
    if (alternateKeys.length > 0)
      throw fail("an implied-union dimension may not have alternate keys", "keys");
    if (config.metadata.length > 0)
      throw fail("an implied-union dimension may not have metadata columns", "metadata");
  }
}

function parseTopology(node: ConfigNode | undefined): TopologicalFamilyConfig[] {
  if (node === undefined) return [];
  node.rejectUnknownKeys(["spatial", "temporal"]);
  const families: TopologicalFamilyConfig[] = [];
  for (const space of ["spatial", "temporal"] as const) {
    const spaceNode = node.node(space, { optional: true });
    if (spaceNode === undefined) continue;
    for (const name of spaceNode.keys()) {
      checkIdentifier(name, spaceNode.pathOf(name), "family");
      const members = spaceNode.stringList(name);
      if (members.length === 0)
        throw new ConfigError("a family needs at least one member", { path: spaceNode.pathOf(name) });
      families.push(Object.freeze({ name, space, members: Object.freeze([...members]) }));
    }
  }
  return families;
}
