import { analyzeScalar, type ScalarAnalysis } from "./analyze-scalar.ts";
import { CORE_TAG, plainIsString } from "./pyyaml-resolver.ts";

/**
 * A node to write: a scalar, a mapping with string keys, or a sequence. Mappings and sequences may carry a
 * tag; so may scalars, which are then always quoted (`!uuid '...'`), as PyYAML writes a tag it does not
 * resolve.
 */
export type YamlNode = YamlScalar | YamlMapping | YamlSequence;

/** A scalar: a string, or the text of another value (a number, a boolean, null, a tagged value). */
export interface YamlScalar {
  readonly kind: "scalar";
  readonly text: string;
  /** The full tag name: `!uuid`, `tag:yaml.org,2002:binary` (written `!!binary`), `lsst.sphgeom.ConvexPolygon` (written `!<...>`). */
  readonly tag?: string;
  /**
   * Set on values that are not strings: whether the text, unquoted, reads back as the value (`30.0`,
   * `null`), so that it is written plain. Left out, it is true exactly for strings PyYAML reads back as
   * strings when unquoted (`abc`, not `yes` or `1.5`), so that strings are quoted where PyYAML quotes them.
   */
  readonly implicit?: boolean;
  /** Write in literal block style (`|`) where it can be, as PyYAML writes `!!binary`. */
  readonly literal?: boolean;
}

/** A mapping, its entries in the order they are written. */
export interface YamlMapping {
  readonly kind: "map";
  readonly tag?: string;
  readonly entries: readonly (readonly [string, YamlNode])[];
}

/** A sequence. */
export interface YamlSequence {
  readonly kind: "seq";
  readonly tag?: string;
  readonly items: readonly YamlNode[];
}

/**
 * YAML text of `root`, byte for byte what PyYAML's `yaml.dump` writes for the same nodes (its defaults,
 * as daf_butler uses them): block style, 2-space indent, sequences not indented under their key, empty
 * collections as `[]` and `{}`, keys of 128 characters or more (with the `!!str` tag) as complex keys,
 * characters outside printable ASCII escaped in double quotes (`allow_unicode` off), long scalars folded
 * at 80 columns, and `...` after a plain scalar at the top. A port of the parts of PyYAML's emitter that
 * such nodes reach (no anchors, no flow style).
 *
 * @example emitYaml({ kind: "map", entries: [["a", { kind: "scalar", text: "yes" }]] }) // "a: 'yes'\n"
 */
export function emitYaml(root: YamlNode): string {
  return new Emitter().document(root);
}

const BEST_WIDTH = 80;
const BEST_INDENT = 2;
/** A simple key's length limit, which PyYAML counts with the key's prepared `!!str` tag. */
const MAX_SIMPLE_KEY = 128 - "!!str".length;

/** Where a node stands, as PyYAML's emitter tracks it: at the top, a sequence item, a mapping value (or complex key), a simple key. */
type Context = "root" | "item" | "value" | "key";

class Emitter {
  readonly #indents: (number | null)[] = [];
  #out = "";
  #column = 0;
  #whitespace = true;
  #indention = true;
  #openEnded = false;
  #indent: number | null = null;

  document(root: YamlNode): string {
    this.#node(root, "root");
    this.#writeIndent();
    if (this.#openEnded) {
      this.#writeIndicator("...", true);
      this.#writeIndent();
    }
    return this.#out;
  }

  #node(node: YamlNode, context: Context): void {
    if (node.kind === "scalar") {
      this.#scalar(node, context, analyzeScalar(node.text));
      return;
    }
    if (node.tag !== undefined) this.#writeIndicator(tagText(node.tag), true);
    if (node.kind === "seq") {
      if (node.items.length === 0) this.#writeIndicator("[]", true);
      else this.#blockSequence(node.items, context);
    } else if (node.entries.length === 0) {
      this.#writeIndicator("{}", true);
    } else {
      this.#blockMapping(node.entries);
    }
  }

  #blockSequence(items: readonly YamlNode[], context: Context): void {
    this.#increaseIndent(false, context === "value" && !this.#indention);
    for (const item of items) {
      this.#writeIndent();
      this.#writeIndicator("-", true, false, true);
      this.#node(item, "item");
    }
    this.#popIndent();
  }

  #blockMapping(entries: readonly (readonly [string, YamlNode])[]): void {
    this.#increaseIndent(false);
    for (const [key, value] of entries) {
      this.#writeIndent();
      const node: YamlScalar = { kind: "scalar", text: key };
      const analysis = analyzeScalar(key);
      if (!analysis.empty && !analysis.multiline && codePointLength(key) < MAX_SIMPLE_KEY) {
        this.#scalar(node, "key", analysis);
        this.#writeIndicator(":", false);
      } else {
        this.#writeIndicator("?", true, false, true);
        this.#scalar(node, "value", analysis);
        this.#writeIndent();
        this.#writeIndicator(":", true, false, true);
      }
      this.#node(value, "value");
    }
    this.#popIndent();
  }

  #scalar(node: YamlScalar, context: Context, analysis: ScalarAnalysis): void {
    const { text, tag } = node;
    const simpleKey = context === "key";
    const implicit = node.implicit ?? (tag === undefined && plainIsString(text));
    const style = chooseStyle(node, implicit, simpleKey, analysis);
    // A plain scalar that reads back as its value needs no tag.
    if (tag !== undefined && !(style === "plain" && implicit)) this.#writeIndicator(tagText(tag), true);
    this.#increaseIndent(true);
    if (style === "plain") this.#writePlain(text, !simpleKey, context === "root");
    else if (style === "single") this.#writeSingleQuoted(text, !simpleKey);
    else if (style === "double") this.#writeDoubleQuoted(text, !simpleKey);
    else this.#writeLiteral(text);
    this.#popIndent();
  }

  #increaseIndent(flow: boolean, indentless = false): void {
    this.#indents.push(this.#indent);
    if (this.#indent === null) this.#indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.#indent += BEST_INDENT;
  }

  #popIndent(): void {
    this.#indent = this.#indents.pop() ?? null;
  }

  /** Append `data`: always ASCII, since everything else is escaped. */
  #write(data: string): void {
    this.#out += data;
    this.#column += data.length;
  }

  #writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.#write(this.#whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.#whitespace = whitespace;
    this.#indention = this.#indention && indention;
    this.#openEnded = false;
  }

  #writeIndent(): void {
    const indent = this.#indent ?? 0;
    if (!this.#indention || this.#column > indent || (this.#column === indent && !this.#whitespace)) {
      this.#writeLineBreak();
    }
    if (this.#column < indent) {
      this.#whitespace = true;
      this.#write(" ".repeat(indent - this.#column));
    }
  }

  #writeLineBreak(): void {
    this.#whitespace = true;
    this.#indention = true;
    this.#out += "\n";
    this.#column = 0;
  }

  /** Plain scalars hold printable ASCII only, without line breaks (see analyzeScalar). */
  #writePlain(text: string, split: boolean, root: boolean): void {
    if (root) this.#openEnded = true;
    if (text === "") return;
    if (!this.#whitespace) this.#write(" ");
    this.#whitespace = false;
    this.#indention = false;
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = text[end];
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.#column > BEST_WIDTH && split) {
            this.#writeIndent();
            this.#whitespace = false;
            this.#indention = false;
          } else {
            this.#write(text.slice(start, end));
          }
          start = end;
        }
      } else if (ch === undefined || ch === " ") {
        this.#write(text.slice(start, end));
        start = end;
      }
      spaces = ch === " ";
    }
  }

  /** Single-quoted scalars hold printable ASCII and "\n" only: anything else is double-quoted. */
  #writeSingleQuoted(text: string, split: boolean): void {
    this.#writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = text[end];
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.#column > BEST_WIDTH && split && start !== 0 && end !== text.length) {
            this.#writeIndent();
          } else {
            this.#write(text.slice(start, end));
          }
          start = end;
        }
      } else if (breaks) {
        if (ch !== "\n") {
          // A line break inside quotes folds to a space, so n breaks are written as n + 1.
          this.#writeLineBreak();
          for (let i = start; i < end; i++) this.#writeLineBreak();
          this.#writeIndent();
          start = end;
        }
      } else if ((ch === undefined || ch === " " || ch === "\n" || ch === "'") && start < end) {
        this.#write(text.slice(start, end));
        start = end;
      }
      if (ch === "'") {
        this.#write("''");
        start = end + 1;
      }
      spaces = ch === " ";
      breaks = ch === "\n";
    }
    this.#writeIndicator("'", false);
  }

  #writeDoubleQuoted(text: string, split: boolean): void {
    this.#writeIndicator('"', true);
    const chars = Array.from(text);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (ch === undefined || ch === '"' || ch === "\\" || ch < " " || ch > "~") {
        if (start < end) this.#write(chars.slice(start, end).join(""));
        start = end;
        if (ch !== undefined) {
          this.#write(escapeChar(ch));
          start = end + 1;
        }
      }
      if (
        end > 0 &&
        end < chars.length - 1 &&
        (ch === " " || start >= end) &&
        this.#column + (end - start) > BEST_WIDTH &&
        split
      ) {
        this.#write(`${chars.slice(start, end).join("")}\\`);
        if (start < end) start = end;
        this.#writeIndent();
        this.#whitespace = false;
        this.#indention = false;
        if (chars[start] === " ") this.#write("\\");
      }
    }
    this.#writeIndicator('"', false);
  }

  /** Literal style holds printable ASCII and "\n" only (see analyzeScalar), with PyYAML's block hints. */
  #writeLiteral(text: string): void {
    const hints = blockHints(text);
    this.#writeIndicator(`|${hints}`, true);
    if (hints.endsWith("+")) this.#openEnded = true;
    this.#writeLineBreak();
    let breaks = true;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = text[end];
      if (breaks) {
        if (ch !== "\n") {
          for (let i = start; i < end; i++) this.#writeLineBreak();
          if (ch !== undefined) this.#writeIndent();
          start = end;
        }
      } else if (ch === undefined || ch === "\n") {
        this.#write(text.slice(start, end));
        if (ch === undefined) this.#writeLineBreak();
        start = end;
      }
      breaks = ch === "\n";
    }
  }
}

/** PyYAML's `choose_scalar_style`, for a scalar that asks for literal style or none. */
function chooseStyle(
  node: YamlScalar,
  implicit: boolean,
  simpleKey: boolean,
  analysis: ScalarAnalysis,
): "plain" | "single" | "double" | "literal" {
  if (node.literal) return !simpleKey && analysis.allowBlock ? "literal" : "double";
  if (implicit && !(simpleKey && (analysis.empty || analysis.multiline)) && analysis.allowPlain)
    return "plain";
  return analysis.allowSingleQuoted && !(simpleKey && analysis.multiline) ? "single" : "double";
}

/** PyYAML's `determine_block_hints`: an indent for a leading space or break, `-` to strip, `+` to keep breaks. */
function blockHints(text: string): string {
  let hints = "";
  if (text[0] === " " || text[0] === "\n") hints += String(BEST_INDENT);
  if (text.at(-1) !== "\n") hints += "-";
  else if (text.length === 1 || text.at(-2) === "\n") hints += "+";
  return hints;
}

const ESCAPES: Readonly<Record<string, string>> = {
  "\0": "0",
  "\x07": "a",
  "\b": "b",
  "\t": "t",
  "\n": "n",
  "\v": "v",
  "\f": "f",
  "\r": "r",
  "\x1b": "e",
  '"': '"',
  "\\": "\\",
  "\x85": "N",
  "\xa0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

/** A character as PyYAML escapes it in a double-quoted scalar: `\n`, `\xE9`, `\u2028`, `\U0001F600`. */
function escapeChar(ch: string): string {
  const known = ESCAPES[ch];
  if (known !== undefined) return `\\${known}`;
  const code = ch.codePointAt(0) as number;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  return code <= 0xffff ? `\\u${hex.padStart(4, "0")}` : `\\U${hex.padStart(8, "0")}`;
}

/** How PyYAML writes a tag: `!uuid`, `!!binary`, or verbatim `!<lsst.sphgeom.ConvexPolygon>`. */
function tagText(tag: string): string {
  if (tag.startsWith(CORE_TAG) && tag.length > CORE_TAG.length) return `!!${tag.slice(CORE_TAG.length)}`;
  return tag.startsWith("!") ? tag : `!<${tag}>`;
}

/** Length in code points, as Python counts a string. */
function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}
