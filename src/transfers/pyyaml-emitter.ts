import { CORE_TAG, isPlainString } from "./yaml-value.ts";

/**
 * A node to write: a scalar (its text, with a tag unless it is a plain string, number, boolean or null),
 * a mapping or a sequence. Scalars that are not strings set `implicit` (their text reads back as their
 * type unquoted: `30.0`, `null`); strings leave it to the emitter.
 */
export type OutNode =
  | {
      readonly kind: "scalar";
      readonly text: string;
      readonly tag?: string;
      readonly implicit?: boolean;
      readonly literal?: boolean;
    }
  | { readonly kind: "map"; readonly tag?: string; readonly entries: readonly (readonly [string, OutNode])[] }
  | { readonly kind: "seq"; readonly items: readonly OutNode[] };

const BEST_WIDTH = 80;
const BEST_INDENT = 2;
const ESCAPES: Readonly<Record<string, string>> = {
  "\0": "0",
  "\x07": "a",
  "\x08": "b",
  "\t": "t",
  "\n": "n",
  "\x0B": "v",
  "\x0C": "f",
  "\r": "r",
  "\x1B": "e",
  '"': '"',
  "\\": "\\",
  "\x85": "N",
  "\xA0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

/**
 * Write `root` as PyYAML's `yaml.dump(data, sort_keys=False)` does (block style, indent 2, width 80,
 * ASCII output), which is how daf_butler writes export files: same quoting, line folding and layout.
 */
export function emitYaml(root: OutNode): string {
  const emitter = new Emitter();
  emitter.node(root, false);
  emitter.lineEnd();
  return emitter.text();
}

class Emitter {
  readonly #out: string[] = [];
  #column = 0;
  #whitespace = true;
  #indention = true;
  #indent: number | null = null;
  readonly #indents: (number | null)[] = [];

  text(): string {
    return this.#out.join("");
  }

  lineEnd(): void {
    this.#writeIndent();
  }

  node(node: OutNode, mappingContext: boolean, simpleKey = false): void {
    if (node.kind === "scalar") {
      this.#increaseIndent(true);
      this.#scalar(node, simpleKey);
      this.#indent = this.#indents.pop() ?? null;
    } else if (node.kind === "seq") {
      if (node.items.length === 0) {
        this.#writeIndicator("[]", true);
        return;
      }
      this.#increaseIndent(false, mappingContext && !this.#indention);
      for (const item of node.items) {
        this.#writeIndent();
        this.#writeIndicator("-", true, true);
        this.node(item, false);
      }
      this.#indent = this.#indents.pop() ?? null;
    } else {
      if (node.tag !== undefined) this.#writeIndicator(tagText(node.tag), true);
      if (node.entries.length === 0) {
        this.#writeIndicator("{}", true);
        return;
      }
      this.#increaseIndent(false);
      for (const [key, value] of node.entries) {
        this.#writeIndent();
        this.node({ kind: "scalar", text: key }, true, true);
        this.#writeIndicator(":", false);
        this.node(value, true);
      }
      this.#indent = this.#indents.pop() ?? null;
    }
  }

  #increaseIndent(flow: boolean, indentless = false): void {
    this.#indents.push(this.#indent);
    if (this.#indent === null) this.#indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.#indent += BEST_INDENT;
  }

  #scalar(node: OutNode & { kind: "scalar" }, simpleKey: boolean): void {
    const text = node.text;
    const analysis = analyze(text);
    const plainImplicit = node.implicit ?? (node.tag === undefined && isPlainString(text));
    let style: "" | "'" | '"' | "|";
    if (node.literal && !simpleKey && analysis.allowBlock) style = "|";
    else if (plainImplicit && !(simpleKey && (text === "" || analysis.multiline)) && analysis.allowPlain)
      style = "";
    else if (!node.literal && analysis.allowSingle && !(simpleKey && analysis.multiline)) style = "'";
    else style = '"';
    if (node.tag !== undefined) this.#writeIndicator(tagText(node.tag), true);
    const split = !simpleKey;
    if (style === "") this.#writePlain(text, split);
    else if (style === "'") this.#writeSingleQuoted(text, split);
    else if (style === '"') this.#writeDoubleQuoted(text, split);
    else this.#writeLiteral(text);
  }

  /** Append `data`: always ASCII, since everything else is escaped (PyYAML's `allow_unicode=False`). */
  #write(data: string): void {
    this.#out.push(data);
    this.#column += data.length;
  }

  #writeIndicator(indicator: string, needWhitespace: boolean, indention = false): void {
    this.#write(this.#whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.#whitespace = false;
    this.#indention = this.#indention && indention;
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
    this.#out.push("\n");
    this.#whitespace = true;
    this.#indention = true;
    this.#column = 0;
  }

  #writePlain(text: string, split: boolean): void {
    if (!this.#whitespace) this.#write(" ");
    this.#whitespace = false;
    this.#indention = false;
    // Plain scalars are ASCII without line breaks (see analyze): only runs of spaces matter.
    let start = 0;
    let spaces = false;
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

  #writeSingleQuoted(text: string, split: boolean): void {
    this.#writeIndicator("'", true);
    // Single-quoted scalars are ASCII (anything else is double-quoted), so the only break is "\n".
    let start = 0;
    let spaces = false;
    let breaks = false;
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
          for (let k = start; k < end; k++) this.#writeLineBreak();
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
    const chars = [...text];
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (ch === undefined || needsEscape(ch)) {
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

  /** A literal block of lines without leading spaces, each ending in "\n" (base64 from `!!binary`). */
  #writeLiteral(text: string): void {
    this.#writeIndicator("|", true);
    this.#writeLineBreak();
    for (const line of text.slice(0, -1).split("\n")) {
      this.#writeIndent();
      this.#write(line);
      this.#writeLineBreak();
    }
  }
}

interface Analysis {
  readonly multiline: boolean;
  readonly allowPlain: boolean;
  readonly allowSingle: boolean;
  readonly allowBlock: boolean;
}

/** Which block-context styles can write `text` (PyYAML's `analyze_scalar`, never allowing Unicode). */
function analyze(text: string): Analysis {
  if (text === "") return { multiline: false, allowPlain: true, allowSingle: true, allowBlock: false };
  const last = text.length - 1;
  let blockIndicators = text.startsWith("---") || text.startsWith("...") || BLOCK_INDICATOR_START.test(text);
  let lineBreaks = false;
  let special = false;
  let breakSpace = false;
  let spaceBreak = false;
  // Code units suffice: every character outside printable ASCII makes the scalar special.
  for (let i = 0; i <= last; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x21 && code <= 0x7e && code !== 0x3a && code !== 0x23) continue;
    if (code === 0x3a && (i === last || isSpaceOrBreak(text.charCodeAt(i + 1)))) blockIndicators = true;
    if (code === 0x23 && i > 0 && isSpaceOrBreak(text.charCodeAt(i - 1))) blockIndicators = true;
    const isBreak = code === 0x0a || code === 0x85 || code === 0x2028 || code === 0x2029;
    if (isBreak) lineBreaks = true;
    if (code !== 0x0a && (code < 0x20 || code > 0x7e)) special = true;
    const previous = i > 0 ? text.charCodeAt(i - 1) : -1;
    const previousBreak =
      previous === 0x0a || previous === 0x85 || previous === 0x2028 || previous === 0x2029;
    if (code === 0x20 && previousBreak) breakSpace = true;
    if (isBreak && previous === 0x20) spaceBreak = true;
  }
  const edges = text[0] === " " || text[last] === " " || isBreakChar(text[0]) || isBreakChar(text[last]);
  const onlyDouble = spaceBreak || special;
  return {
    multiline: lineBreaks,
    allowPlain: !(edges || breakSpace || onlyDouble || lineBreaks || blockIndicators),
    allowSingle: !(breakSpace || onlyDouble),
    allowBlock: !(text[last] === " " || onlyDouble),
  };
}

/** A first character that stops a block plain scalar (`-`, `?`, `:` only when followed by a space). */
const BLOCK_INDICATOR_START = /^(?:[#,[\]{}&*!|>'"%@`]|[-?:](?:$|[\0 \t\r\n\x85\u2028\u2029]))/;

function isSpaceOrBreak(code: number): boolean {
  return (
    code === 0 ||
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0d ||
    code === 0x0a ||
    code === 0x85 ||
    code === 0x2028 ||
    code === 0x2029
  );
}

function isBreakChar(ch: string | undefined): boolean {
  return ch === "\n" || ch === "\x85" || ch === "\u2028" || ch === "\u2029";
}

function needsEscape(ch: string): boolean {
  return ch === '"' || ch === "\\" || ch < "\x20" || ch > "\x7E";
}

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
  if (tag.startsWith(CORE_TAG)) return `!!${tag.slice(CORE_TAG.length)}`;
  return tag.startsWith("!") ? tag : `!<${tag}>`;
}
