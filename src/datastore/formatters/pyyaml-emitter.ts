import { FormatterError } from "../../errors.ts";
import { plainIsString } from "./pyyaml-resolver.ts";
import {
  analyzeScalar,
  BREAKS,
  codePointLength,
  escapeChar,
  type ScalarAnalysis,
  timestampText,
  yamlNumber,
} from "./pyyaml-scalars.ts";
import { describeValue, formatPath, hasToJson, isPlainObject, type ValuePath } from "./value-path.ts";

/** Options of {@link dumpPyYaml}. */
export interface PyYamlDumpOptions {
  /** Sort mapping keys (PyYAML's `sort_keys`; daf_butler's YamlFormatter keeps insertion order). */
  readonly sortKeys?: boolean;
  /** A tag for the top mapping, written `!<tag>` (lsst.utils's Packages are `lsst.utils.packages.Packages`). */
  readonly rootTag?: string;
}

/**
 * YAML text of `value`, byte for byte what PyYAML's `yaml.safe_dump(value, sort_keys=False)` writes for
 * the same data: block style, 2-space indent, sequences not indented under their key, empty collections as
 * `[]`/`{}`, strings quoted only when PyYAML would read them as something else, non-ASCII characters
 * escaped (`allow_unicode` is off), long scalars folded at 80 columns. A port of the parts of PyYAML's
 * emitter that plain data reaches. `Date`s are written as PyYAML timestamps (UTC); objects with a
 * `toJSON` method as what it returns. Shared objects are written again where they recur (no anchors).
 * @throws {FormatterError} for a value YAML cannot hold here (bigint, undefined, function, symbol, a
 * cycle, a non-plain object), naming its path inside `value`.
 */
export function dumpPyYaml(value: unknown, options: PyYamlDumpOptions = {}): string {
  return new Emitter(options).document(value);
}

const WIDTH = 80;
const INDENT = 2;

/** Where a node is, as PyYAML's emitter tracks it: the document root, a mapping value or key, a sequence item. */
interface Context {
  readonly root: boolean;
  readonly mapping: boolean;
  readonly simpleKey: boolean;
}
const ROOT: Context = { root: true, mapping: false, simpleKey: false };
const IN_SEQUENCE: Context = { root: false, mapping: false, simpleKey: false };
const IN_MAPPING: Context = { root: false, mapping: true, simpleKey: false };
const SIMPLE_KEY: Context = { root: false, mapping: true, simpleKey: true };

class Emitter {
  readonly #options: PyYamlDumpOptions;
  readonly #path: ValuePath = [];
  readonly #ancestors: object[] = [];
  readonly #indents: (number | null)[] = [];
  #out = "";
  #column = 0;
  #whitespace = true;
  #indention = true;
  #openEnded = false;
  #indent: number | null = null;

  constructor(options: PyYamlDumpOptions) {
    this.#options = options;
  }

  document(value: unknown): string {
    if (this.#options.rootTag !== undefined) this.#writeIndicator(`!<${this.#options.rootTag}>`, true);
    this.#node(value, ROOT);
    this.#writeIndent();
    if (this.#openEnded) {
      this.#writeIndicator("...", true);
      this.#writeIndent();
    }
    return this.#out;
  }

  #node(raw: unknown, context: Context): void {
    if (raw instanceof Date) {
      this.#scalar(timestampText(raw, this.#path), false, context);
      return;
    }
    const value = hasToJson(raw) ? raw.toJSON(String(this.#path.at(-1) ?? "")) : raw;
    if (typeof value === "string") this.#scalar(value, true, context);
    else if (typeof value === "boolean") this.#scalar(value ? "true" : "false", false, context);
    else if (typeof value === "number") this.#scalar(yamlNumber(value), false, context);
    else if (value === null) this.#scalar("null", false, context);
    else if (typeof value === "object") this.#collection(value, context);
    else this.#fail(describeValue(value));
  }

  #collection(value: object, context: Context): void {
    if (this.#ancestors.includes(value)) this.#fail("a circular reference");
    this.#ancestors.push(value);
    if (Array.isArray(value)) {
      if (value.length === 0) this.#emptyFlow("[", "]");
      else this.#blockSequence(value, context);
    } else if (isPlainObject(value)) {
      const keys = Object.keys(value);
      if (this.#options.sortKeys) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (keys.length === 0) this.#emptyFlow("{", "}");
      else this.#blockMapping(value, keys);
    } else {
      this.#fail(describeValue(value));
    }
    this.#ancestors.pop();
  }

  #fail(what: string): never {
    throw new FormatterError(`Cannot write ${what} as YAML at ${formatPath(this.#path)}`, {
      hint: "Only plain data can be written: objects, arrays, strings, numbers, booleans, null and Dates.",
    });
  }

  #emptyFlow(open: string, close: string): void {
    this.#writeIndicator(open, true, true);
    this.#writeIndicator(close, false);
  }

  #blockSequence(items: readonly unknown[], context: Context): void {
    this.#increaseIndent(false, context.mapping && !this.#indention);
    for (let i = 0; i < items.length; i++) {
      this.#writeIndent();
      this.#writeIndicator("-", true, false, true);
      this.#path.push(i);
      this.#node(items[i], IN_SEQUENCE);
      this.#path.pop();
    }
    this.#popIndent();
  }

  #blockMapping(object: Record<string, unknown>, keys: readonly string[]): void {
    this.#increaseIndent(false);
    for (const key of keys) {
      this.#writeIndent();
      const analysis = analyzeScalar(key);
      // PyYAML counts the implicit "!!str" tag (5 characters) into a simple key's length limit of 128.
      if (!analysis.empty && !analysis.multiline && 5 + codePointLength(key) < 128) {
        this.#scalar(key, true, SIMPLE_KEY, analysis);
        this.#writeIndicator(":", false);
      } else {
        this.#writeIndicator("?", true, false, true);
        this.#scalar(key, true, IN_MAPPING, analysis);
        this.#writeIndent();
        this.#writeIndicator(":", true, false, true);
      }
      this.#path.push(key);
      this.#node(object[key], IN_MAPPING);
      this.#path.pop();
    }
    this.#popIndent();
  }

  #scalar(
    text: string,
    isString: boolean,
    context: Context,
    analysis = isString ? analyzeScalar(text) : undefined,
  ): void {
    this.#increaseIndent(true);
    const split = !context.simpleKey;
    if (analysis === undefined || choosePlain(text, analysis, context))
      this.#writePlain(text, split, context.root);
    else if (analysis.allowSingleQuoted && !(context.simpleKey && analysis.multiline))
      this.#writeSingleQuoted(text, split);
    else this.#writeDoubleQuoted(text, split);
    this.#popIndent();
  }

  #increaseIndent(flow: boolean, indentless = false): void {
    this.#indents.push(this.#indent);
    if (this.#indent === null) this.#indent = flow ? INDENT : 0;
    else if (!indentless) this.#indent += INDENT;
  }

  #popIndent(): void {
    this.#indent = this.#indents.pop() ?? null;
  }

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

  /** Plain scalars here hold printable ASCII only, without line breaks. */
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
          if (start + 1 === end && this.#column > WIDTH && split) {
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
      if (ch !== undefined) spaces = ch === " ";
    }
  }

  /** Single-quoted scalars here hold printable ASCII and `\n` only. */
  #writeSingleQuoted(text: string, split: boolean): void {
    this.#writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = text[end];
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.#column > WIDTH && split && start !== 0 && end !== text.length) {
            this.#writeIndent();
          } else {
            this.#write(text.slice(start, end));
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (text[start] === "\n") this.#writeLineBreak();
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
      if (ch !== undefined) {
        spaces = ch === " ";
        breaks = ch === "\n";
      }
    }
    this.#writeIndicator("'", false);
  }

  #writeDoubleQuoted(text: string, split: boolean): void {
    this.#writeIndicator('"', true);
    const chars = Array.from(text);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (ch === undefined || ch === '"' || ch === "\\" || !(ch >= " " && ch <= "~")) {
        if (start < end) {
          this.#write(chars.slice(start, end).join(""));
          start = end;
        }
        if (ch !== undefined) {
          this.#write(escapeChar(ch));
          start = end + 1;
        }
      }
      if (
        end > 0 &&
        end < chars.length - 1 &&
        (ch === " " || start >= end) &&
        this.#column + (end - start) > WIDTH &&
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
}

function choosePlain(text: string, analysis: ScalarAnalysis, context: Context): boolean {
  return (
    plainIsString(text) &&
    !(context.simpleKey && (analysis.empty || analysis.multiline)) &&
    analysis.allowPlain
  );
}
