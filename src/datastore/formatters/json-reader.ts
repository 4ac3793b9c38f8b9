/** Where and why JSON text could not be parsed. */
export interface JsonSyntaxProblem {
  /** What was wrong, in words. */
  readonly reason: string;
  /** Character index into the text. */
  readonly position: number;
}

/**
 * The value of JSON text as Python's `json.loads` reads it: standard JSON, plus the `NaN`, `Infinity` and
 * `-Infinity` that Python's `json.dumps` writes for non-finite floats. Standard text goes through
 * `JSON.parse`; only text it rejects is parsed again here, to accept Python's extras or to say where the
 * error is.
 */
export function parseJson(text: string, fail: (problem: JsonSyntaxProblem) => never): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return new LenientParser(text, fail).parseDocument();
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters; this stops at them.
const PLAIN_CHARS = /[^"\\\u0000-\u001f]*/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};
const LITERALS: readonly (readonly [string, unknown])[] = [
  ["true", true],
  ["false", false],
  ["null", null],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
];

class LenientParser {
  readonly #text: string;
  readonly #fail: (problem: JsonSyntaxProblem) => never;
  #i = 0;

  constructor(text: string, fail: (problem: JsonSyntaxProblem) => never) {
    this.#text = text;
    this.#fail = fail;
  }

  parseDocument(): unknown {
    const value = this.#value();
    this.#skipWhitespace();
    if (this.#i < this.#text.length) this.#error("extra data after the JSON value");
    return value;
  }

  #error(expected: string, position = this.#i): never {
    const reason = position >= this.#text.length ? `unexpected end of the text (${expected})` : expected;
    return this.#fail({ reason, position });
  }

  #skipWhitespace(): void {
    const text = this.#text;
    let i = this.#i;
    for (
      let c = text.charCodeAt(i);
      c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
      c = text.charCodeAt(++i)
    );
    this.#i = i;
  }

  #value(): unknown {
    this.#skipWhitespace();
    const c = this.#text[this.#i];
    if (c === "{") return this.#object();
    if (c === "[") return this.#array();
    if (c === '"') return this.#string();
    for (const [word, value] of LITERALS) {
      if (this.#text.startsWith(word, this.#i)) {
        this.#i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.#i;
    const match = NUMBER.exec(this.#text);
    if (match === null) return this.#error("expected a value");
    this.#i += match[0].length;
    return Number(match[0]);
  }

  #object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.#i++;
    this.#skipWhitespace();
    if (this.#text[this.#i] === "}") {
      this.#i++;
      return object;
    }
    for (;;) {
      this.#skipWhitespace();
      if (this.#text[this.#i] !== '"') this.#error("expected a property name in double quotes");
      const key = this.#string();
      this.#skipWhitespace();
      if (this.#text[this.#i] !== ":") this.#error("expected ':' after a property name");
      this.#i++;
      const value = this.#value();
      if (key === "__proto__")
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      else object[key] = value;
      this.#skipWhitespace();
      const next = this.#text[this.#i++];
      if (next === "}") return object;
      if (next !== ",") this.#error("expected ',' or '}' after a property value", this.#i - 1);
    }
  }

  #array(): unknown[] {
    const array: unknown[] = [];
    this.#i++;
    this.#skipWhitespace();
    if (this.#text[this.#i] === "]") {
      this.#i++;
      return array;
    }
    for (;;) {
      array.push(this.#value());
      this.#skipWhitespace();
      const next = this.#text[this.#i++];
      if (next === "]") return array;
      if (next !== ",") this.#error("expected ',' or ']' after an array item", this.#i - 1);
    }
  }

  #string(): string {
    const start = this.#i;
    const text = this.#text;
    let value = "";
    this.#i++;
    for (;;) {
      PLAIN_CHARS.lastIndex = this.#i;
      const run = PLAIN_CHARS.exec(text)?.[0] ?? "";
      value += run;
      this.#i += run.length;
      const c = text[this.#i];
      if (c === '"') {
        this.#i++;
        return value;
      }
      if (c === undefined) this.#error("unterminated string", start);
      if (c !== "\\") this.#error("control character in a string (escape it, e.g. \\n)");
      const escaped = text[this.#i + 1] ?? "";
      if (escaped === "u") {
        const hex = text.slice(this.#i + 2, this.#i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.#error("invalid \\u escape: expected 4 hexadecimal digits");
        value += String.fromCharCode(Number.parseInt(hex, 16));
        this.#i += 6;
      } else {
        const replacement = ESCAPES[escaped];
        if (replacement === undefined) this.#error(`invalid escape "\\${escaped}"`);
        value += replacement;
        this.#i += 2;
      }
    }
  }
}
