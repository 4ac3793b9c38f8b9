import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { ExportFormatError } from "../errors.ts";
import { fastLoadYaml } from "./fast-yaml.ts";
import { resolvePlain, resolveTagged, type YamlMap, type YamlValue } from "./yaml-value.ts";

/**
 * Read YAML text into plain values with PyYAML's scalar rules (see {@link resolvePlain}), keeping
 * custom tags as `Tagged` values. Export files take a fast path; anything else is read by the full parser.
 * @throws {ExportFormatError} for malformed YAML, with the line and column.
 */
export function loadYaml(text: string, source: string): YamlValue {
  const fast = fastLoadYaml(text);
  return fast === undefined ? composeYaml(text, source) : fast;
}

/**
 * Read YAML text with the `yaml` package's full parser, producing the same values as the fast path.
 * @throws {ExportFormatError} for malformed YAML, with the line and column.
 */
export function composeYaml(text: string, source: string): YamlValue {
  const lineCounter = new LineCounter();
  // The failsafe schema leaves every scalar as text; PyYAML's rules are applied below.
  const document = parseDocument(text, { schema: "failsafe", uniqueKeys: true, lineCounter });
  const error = document.errors[0];
  if (error !== undefined) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const detail = (error.message.split("\n")[0] ?? "")
      .replace(/ at line \d+, column \d+:?$/, "")
      .replace("; please use YAML.parseAllDocuments()", "");
    throw new ExportFormatError(`Cannot parse ${source} at line ${line}, column ${col}: ${detail}`, {
      cause: error,
    });
  }
  return new NodeReader(document, source, lineCounter).value(document.contents);
}

const IN_PROGRESS: unique symbol = Symbol("being read");

class NodeReader {
  readonly #document: Document.Parsed;
  readonly #source: string;
  readonly #lines: LineCounter;
  /** Values of anchored nodes already read: aliases share them (as in PyYAML) and cannot recurse. */
  readonly #done = new Map<Node, YamlValue | typeof IN_PROGRESS>();

  constructor(document: Document.Parsed, source: string, lines: LineCounter) {
    this.#document = document;
    this.#source = source;
    this.#lines = lines;
  }

  value(node: Node | null): YamlValue {
    if (node === null) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.#document);
      const known = target === undefined ? undefined : this.#done.get(target);
      if (known === undefined || known === IN_PROGRESS) {
        throw this.#error(node, `alias *${node.source} does not refer to a complete node before it`);
      }
      return known;
    }
    this.#done.set(node, IN_PROGRESS);
    const value = this.#read(node);
    this.#done.set(node, value);
    return value;
  }

  #read(node: Node): YamlValue {
    if (isScalar(node)) {
      const text = String(node.source ?? node.value ?? "");
      if (node.tag !== undefined) return resolveTagged(node.tag, text);
      return node.type === "PLAIN" ? resolvePlain(text) : text;
    }
    let value: YamlValue = null;
    if (isMap(node)) {
      const map: YamlMap = new Map();
      for (const pair of node.items)
        map.set(this.#key(pair.key as Node | null), this.value(pair.value as Node | null));
      value = map;
    } else if (isSeq(node)) {
      value = node.items.map((item) => this.value(item as Node | null));
    }
    return node.tag === undefined ? value : resolveTagged(node.tag, value);
  }

  #key(node: Node | null): string {
    if (node === null) return "";
    if (isScalar(node)) return String(node.source ?? node.value ?? "");
    throw this.#error(node, "mapping keys must be scalars");
  }

  #error(node: Node, detail: string): ExportFormatError {
    const { line, col } = this.#lines.linePos(node.range?.[0] ?? 0);
    return new ExportFormatError(`Cannot parse ${this.#source} at line ${line}, column ${col}: ${detail}`);
  }
}
