import { FormatterError } from "../../errors.ts";
import { emitYaml, type YamlNode } from "../../util/pyyaml/emit-yaml.ts";
import { representFloat } from "../../util/pyyaml/represent-float.ts";
import { describeValue, formatPath, hasToJson, isPlainObject, type ValuePath } from "./value-path.ts";

/** Options of {@link dumpPyYaml}. */
export interface PyYamlDumpOptions {
  /** Sort mapping keys (PyYAML's `sort_keys`; daf_butler's YamlFormatter keeps insertion order). */
  readonly sortKeys?: boolean;
  /** A tag for the top node, written `!<tag>` (lsst.utils's Packages are `lsst.utils.packages.Packages`). */
  readonly rootTag?: string;
}

/**
 * YAML text of `value`, byte for byte what PyYAML's `yaml.safe_dump(value, sort_keys=False)` writes for
 * the same data (see {@link emitYaml}): strings quoted only when PyYAML would read them as something else,
 * safe integers as ints and other numbers as floats (`1.0e-07`, `.nan`). `Date`s are written as PyYAML
 * timestamps (UTC); objects with a `toJSON` method as what it returns. Shared objects are written again
 * where they recur (no anchors).
 * @throws {FormatterError} for a value YAML cannot hold here (bigint, undefined, function, symbol, a
 * cycle, a non-plain object, an invalid Date), naming its path inside `value`.
 */
export function dumpPyYaml(value: unknown, options: PyYamlDumpOptions = {}): string {
  const root = new NodeBuilder(options.sortKeys ?? false).node(value);
  const tag = options.rootTag;
  if (tag === undefined) return emitYaml(root);
  // A scalar under a tag PyYAML does not resolve no longer reads back as its value unquoted.
  return emitYaml(root.kind === "scalar" ? { ...root, tag, implicit: false } : { ...root, tag });
}

/** Plain data as the nodes PyYAML's SafeRepresenter makes of it. */
class NodeBuilder {
  readonly #sortKeys: boolean;
  readonly #path: ValuePath = [];
  readonly #ancestors: object[] = [];

  constructor(sortKeys: boolean) {
    this.#sortKeys = sortKeys;
  }

  node(raw: unknown): YamlNode {
    if (raw instanceof Date) return implicit(this.#timestamp(raw));
    const value = hasToJson(raw) ? raw.toJSON(String(this.#path.at(-1) ?? "")) : raw;
    if (typeof value === "string") return { kind: "scalar", text: value };
    if (typeof value === "boolean") return implicit(value ? "true" : "false");
    if (typeof value === "number")
      return implicit(Number.isSafeInteger(value) ? String(value) : representFloat(value));
    if (value === null) return implicit("null");
    if (typeof value === "object") return this.#collection(value);
    return this.#fail(describeValue(value));
  }

  #collection(value: object): YamlNode {
    if (this.#ancestors.includes(value)) this.#fail("a circular reference");
    this.#ancestors.push(value);
    let node: YamlNode;
    if (Array.isArray(value)) {
      node = { kind: "seq", items: value.map((item, i) => this.#child(i, item)) };
    } else if (isPlainObject(value)) {
      const keys = Object.keys(value);
      if (this.#sortKeys) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      node = { kind: "map", entries: keys.map((key) => [key, this.#child(key, value[key])]) };
    } else {
      this.#fail(describeValue(value));
    }
    this.#ancestors.pop();
    return node;
  }

  #child(step: string | number, value: unknown): YamlNode {
    this.#path.push(step);
    const node = this.node(value);
    this.#path.pop();
    return node;
  }

  /** A Date as PyYAML writes a date (midnight UTC) or a datetime (`2021-06-01 12:30:00.250000`), in UTC. */
  #timestamp(date: Date): string {
    if (Number.isNaN(date.getTime())) {
      throw new FormatterError(`Cannot write an invalid Date as YAML at ${formatPath(this.#path)}`, {
        hint: "Check how the Date was made: new Date(text) gives an invalid Date for text it cannot parse.",
      });
    }
    const iso = date.toISOString();
    const day = iso.slice(0, 10);
    const time = iso.slice(11, 19);
    const milliseconds = date.getUTCMilliseconds();
    if (time === "00:00:00" && milliseconds === 0) return day;
    return `${day} ${time}${milliseconds === 0 ? "" : `.${String(milliseconds).padStart(3, "0")}000`}`;
  }

  #fail(what: string): never {
    throw new FormatterError(`Cannot write ${what} as YAML at ${formatPath(this.#path)}`, {
      hint: "Only plain data can be written: objects, arrays, strings, numbers, booleans, null and Dates.",
    });
  }
}

/** A scalar whose text reads back as its value (a number, a boolean, null, a timestamp). */
function implicit(text: string): YamlNode {
  return { kind: "scalar", text, implicit: true };
}
