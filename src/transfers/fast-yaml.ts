import { CST, Lexer } from "yaml";
import { fullTagName, resolvePlain, resolveTagged, type YamlMap, type YamlValue } from "./yaml-value.ts";

// Export files are large (hsc-rc2-subset.yaml is 784 KB) and use a small part of YAML: block mappings
// and sequences, flow sequences of scalars, quoted and plain scalars, tags, literal blocks. Building
// values straight from the `yaml` package's lexer tokens is three to four times faster than its
// parser and document model. Anything outside that subset (anchors, flow mappings, explicit keys, directives,
// odd indentation) or anything malformed makes this reader give up, and the caller falls back to the
// full parser, which reads the rest of YAML and reports errors with their line and column.

const PLAIN = 0;
const SINGLE_QUOTED = 1;
const DOUBLE_QUOTED = 2;
const TAG = 3;
const SEQ_ITEM = 4;
const COLON = 5;
const FLOW_START = 6;
const FLOW_END = 7;
const COMMA = 8;
const BLOCK_HEADER = 9;
const BLOCK_BODY = 10;
/** `{}`, the only flow mapping PyYAML writes in block style (an empty mapping). */
const EMPTY_MAP = 11;

interface Token {
  readonly kind: number;
  readonly text: string;
  /** Column of the token's first character. */
  readonly col: number;
  /** Whether only indentation precedes the token on its line. */
  readonly first: boolean;
}

const GIVE_UP = Symbol("outside the fast subset");

function giveUp(): never {
  throw GIVE_UP;
}

/**
 * Read YAML text into plain values if it stays inside the subset of YAML that export files use;
 * `undefined` when it does not (or is malformed), to be read by the full parser instead.
 */
export function fastLoadYaml(text: string): YamlValue | undefined {
  try {
    const tokens = tokenize(text);
    if (tokens.length === 0) return null;
    const reader = new TokenReader(tokens);
    const value = reader.node(-1);
    return reader.atEnd() ? value : giveUp();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let col = 0;
  let first = true;
  let scalarNext = false;
  for (const source of new Lexer().lex(text)) {
    let kind: number;
    if (scalarNext) {
      scalarNext = false;
      kind = tokens.at(-1)?.kind === BLOCK_HEADER ? BLOCK_BODY : PLAIN;
    } else {
      switch (source[0]) {
        case undefined:
        case "\n":
        case "\r":
          col = 0;
          first = true;
          continue;
        case " ":
          if (source.includes("\t")) giveUp();
          col += source.length;
          continue;
        case "#":
        case "\x02":
          continue;
        case "\x1f":
          scalarNext = true;
          continue;
        case "-":
          if (source !== "-") giveUp();
          kind = SEQ_ITEM;
          break;
        case ":":
          kind = COLON;
          break;
        case "[":
          kind = FLOW_START;
          break;
        case "{":
          kind = EMPTY_MAP;
          break;
        case "}": {
          const open = tokens.at(-1);
          if (open?.kind !== EMPTY_MAP || open.text !== "{") giveUp();
          tokens[tokens.length - 1] = { ...open, text: "{}" };
          col += 1;
          continue;
        }
        case "]":
          kind = FLOW_END;
          break;
        case ",":
          kind = COMMA;
          break;
        case "!":
          kind = TAG;
          break;
        case "'":
          kind = SINGLE_QUOTED;
          break;
        case '"':
          kind = DOUBLE_QUOTED;
          break;
        case "|":
        case ">":
          kind = BLOCK_HEADER;
          break;
        default:
          // Tabs, anchors, aliases, flow mappings, explicit keys, directives, document markers, BOM.
          return giveUp();
      }
    }
    tokens.push({ kind, text: source, col, first });
    const lastBreak = source.lastIndexOf("\n");
    if (lastBreak < 0) {
      col += source.length;
      first = false;
    } else {
      col = source.length - lastBreak - 1;
      first = col === 0;
    }
  }
  return tokens;
}

class TokenReader {
  readonly #tokens: readonly Token[];
  #i = 0;

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  atEnd(): boolean {
    return this.#i >= this.#tokens.length;
  }

  /** A node starting on a new line, more indented than `parentIndent`. */
  node(parentIndent: number): YamlValue {
    const token = this.#tokens[this.#i];
    if (token === undefined || token.col <= parentIndent) return null;
    if (token.kind === SEQ_ITEM) return this.#sequence(token.col);
    if (this.#isKey(token)) return this.#mapping(token.col);
    return this.#inlineValue(parentIndent, false);
  }

  #isKey(token: Token): boolean {
    const next = this.#tokens[this.#i + 1];
    return (
      (token.kind === PLAIN || token.kind === SINGLE_QUOTED || token.kind === DOUBLE_QUOTED) &&
      next?.kind === COLON &&
      !next.first
    );
  }

  #mapping(indent: number): YamlMap {
    const map: YamlMap = new Map();
    for (let token = this.#tokens[this.#i]; token !== undefined; token = this.#tokens[this.#i]) {
      if (token.col < indent) break;
      if (token.col > indent || (map.size > 0 && !token.first) || !this.#isKey(token)) giveUp();
      if (token.text.includes("\n")) giveUp();
      const key = token.kind === PLAIN ? token.text : this.#scalarText(token, indent);
      if (map.has(key)) giveUp();
      this.#i += 2;
      map.set(key, this.#valueAfterIndicator(indent, true));
    }
    return map;
  }

  #sequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (let token = this.#tokens[this.#i]; token !== undefined; token = this.#tokens[this.#i]) {
      if (token.col < indent || (token.col === indent && token.kind !== SEQ_ITEM)) break;
      if (token.col > indent || token.kind !== SEQ_ITEM || (items.length > 0 && !token.first)) giveUp();
      this.#i += 1;
      items.push(this.#valueAfterIndicator(indent, false));
    }
    return items;
  }

  /** The value after `key:` or `- ` in a collection at `indent`. */
  #valueAfterIndicator(indent: number, inMapping: boolean): YamlValue {
    const token = this.#tokens[this.#i];
    if (token === undefined) return null;
    if (token.first) {
      // A mapping's value may be a sequence at the mapping's own indentation (PyYAML writes them so).
      if (inMapping && token.kind === SEQ_ITEM && token.col === indent) return this.#sequence(indent);
      return this.node(indent);
    }
    if (this.#isKey(token)) return inMapping ? giveUp() : this.#mapping(token.col);
    if (token.kind === SEQ_ITEM) return inMapping ? giveUp() : this.#sequence(token.col);
    return this.#inlineValue(indent, inMapping);
  }

  /** A scalar, tagged node, flow sequence or block scalar that starts at the current token. */
  #inlineValue(indent: number, inMapping: boolean): YamlValue {
    const token = this.#tokens[this.#i] as Token;
    if (token.kind !== TAG) return this.#lineEnd(this.#untagged(token, indent, false));
    const tag = fullTagName(token.text) ?? giveUp();
    this.#i += 1;
    const next = this.#tokens[this.#i];
    if (next === undefined || next.first)
      return resolveTagged(tag, this.#taggedBlock(next, indent, inMapping));
    if (this.#isKey(next) || next.kind === TAG || next.kind === SEQ_ITEM) giveUp();
    return resolveTagged(tag, this.#lineEnd(this.#untagged(next, indent, true)));
  }

  /** The collection (or empty scalar) on the lines after a tag that ends its line. */
  #taggedBlock(next: Token | undefined, indent: number, inMapping: boolean): YamlValue {
    if (next === undefined || next.col < indent || (next.col === indent && next.kind !== SEQ_ITEM)) return "";
    if (next.kind === SEQ_ITEM) return next.col > indent || inMapping ? this.#sequence(next.col) : "";
    return this.#isKey(next) ? this.#mapping(next.col) : giveUp();
  }

  /** A flow sequence, block scalar or scalar; scalars are resolved unless `raw` (a tag decides). */
  #untagged(token: Token, indent: number, raw: boolean): YamlValue {
    if (token.kind === FLOW_START) return this.#flowSequence(indent);
    if (token.kind === EMPTY_MAP && token.text === "{}") {
      this.#i += 1;
      return new Map();
    }
    if (token.kind === BLOCK_HEADER) return this.#blockScalar(indent);
    this.#i += 1;
    return raw ? this.#scalarText(token, indent) : this.#scalar(token, indent);
  }

  #lineEnd(value: YamlValue): YamlValue {
    const after = this.#tokens[this.#i];
    return after === undefined || after.first ? value : giveUp();
  }

  #flowSequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    this.#i += 1;
    for (;;) {
      const token = this.#tokens[this.#i] ?? giveUp();
      if (token.first && token.col <= indent) giveUp();
      if (token.kind === FLOW_END) break;
      if (token.kind === FLOW_START) {
        items.push(this.#flowSequence(indent));
      } else if (token.kind === TAG) {
        const tag = fullTagName(token.text) ?? giveUp();
        const scalar = this.#tokens[this.#i + 1] ?? giveUp();
        if (scalar.kind !== PLAIN && scalar.kind !== SINGLE_QUOTED && scalar.kind !== DOUBLE_QUOTED) giveUp();
        this.#i += 2;
        items.push(resolveTagged(tag, this.#scalarText(scalar, indent)));
      } else {
        items.push(this.#scalar(token, indent));
        this.#i += 1;
      }
      const separator = this.#tokens[this.#i] ?? giveUp();
      if (separator.kind === COMMA) this.#i += 1;
      else if (separator.kind !== FLOW_END) giveUp();
    }
    this.#i += 1;
    return items;
  }

  #blockScalar(indent: number): string {
    const header = this.#tokens[this.#i] as Token;
    const body = this.#tokens[this.#i + 1];
    if (body?.kind !== BLOCK_BODY || /\d/.test(header.text)) giveUp();
    this.#i += 2;
    const props = [{ type: "block-scalar-header" as const, offset: 0, indent, source: header.text }];
    return resolveScalar({ type: "block-scalar", offset: 0, indent, props, source: body.text });
  }

  /** The value of an untagged scalar token: resolved by PyYAML's rules when plain, else its text. */
  #scalar(token: Token, indent: number): YamlValue {
    if (token.kind === PLAIN) return resolvePlain(this.#scalarText(token, indent));
    if (token.kind === SINGLE_QUOTED || token.kind === DOUBLE_QUOTED) return this.#scalarText(token, indent);
    return giveUp();
  }

  #scalarText(token: Token, indent: number): string {
    const text = token.text;
    switch (token.kind) {
      case PLAIN:
        return text.includes("\n")
          ? resolveScalar({ type: "scalar", offset: 0, indent, source: text })
          : text;
      case SINGLE_QUOTED:
        return /^'(?:[^'\n]|'')*'$/.test(text)
          ? text.slice(1, -1).replaceAll("''", "'")
          : resolveScalar({ type: "single-quoted-scalar", offset: 0, indent, source: text });
      case DOUBLE_QUOTED:
        return /^"[^"\\\n]*"$/.test(text)
          ? text.slice(1, -1)
          : resolveScalar({ type: "double-quoted-scalar", offset: 0, indent, source: text });
      default:
        return giveUp();
    }
  }
}

/** The `yaml` package's own resolution of a scalar token; any complaint sends the file to the full parser. */
function resolveScalar(token: CST.FlowScalar | CST.BlockScalar): string {
  return CST.resolveAsScalar(token, true, giveUp).value;
}
