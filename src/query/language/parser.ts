import { type ButlerErrorOptions, type InvalidQueryError, InvalidTimeError } from "../../errors.ts";
import { parseTime } from "../../time/parse-time.ts";
import type {
  BinaryOperator,
  Expression,
  FunctionCall,
  Identifier,
  NumberLiteral,
  TimeLiteral,
} from "./ast.ts";
import { type TextToken, type Token, tokenize } from "./lexer.ts";
import { integerOutOfRange, parseFailure } from "./parse-failure.ts";
import { BINARY_LEVEL, IN_LEVEL, NOT_LEVEL, SIGN_LEVEL } from "./precedence.ts";

/** Deepest nesting of parentheses, calls and unary operators; keeps recursion far from the stack limit. */
const MAX_DEPTH = 100;

const WORD_HINTS: Readonly<Record<string, string>> = {
  IS: "Write x = NULL or x != NULL instead of IS [NOT] NULL.",
  LIKE: "Use GLOB(column, 'pattern') to match strings.",
  BETWEEN: "Use x IN (a..b) for integers, or x >= a AND x <= b.",
};

/**
 * Parse a `where` expression (daf_butler's language, spec §3.3) into a syntax tree whose nodes carry their
 * spans. Precedence, loosest first: OR, AND, NOT, OVERLAPS, `= !=`, `< <= > >=`, `[NOT] IN`, `+ -`,
 * `* / %`, unary `+ -`; binary operators associate to the left. A sign directly before a number is part
 * of the number literal (`-5` is the number -5).
 *
 * @example parseExpression("instrument = 'HSC' AND visit IN (903334..903338:2, :extra)")
 * @returns the tree, or undefined when the text is empty or blank (no constraint).
 * @throws {InvalidQueryError} for any syntax error, bad time literal, bad range or integer too large for a
 *   JavaScript number; the message quotes the expression and marks the offending part.
 */
export function parseExpression(text: string): Expression | undefined {
  const tokens = tokenize(text);
  if (tokens.length === 1) return undefined;
  const parser = new Parser(text, tokens);
  const expression = parser.expression(1);
  parser.expect("end");
  return expression;
}

/** A recursive-descent parser over the token list; one method per precedence level or construct. */
class Parser {
  readonly #text: string;
  readonly #tokens: readonly Token[];
  #pos = 0;
  #depth = 0;

  constructor(text: string, tokens: readonly Token[]) {
    this.#text = text;
    this.#tokens = tokens;
  }

  /** Operators of precedence `level` (see precedence.ts) and tighter; binary ones associate to the left. */
  expression(level: number): Expression {
    let left =
      level === NOT_LEVEL
        ? this.#not()
        : level === IN_LEVEL
          ? this.#predicate()
          : level === SIGN_LEVEL
            ? this.#unary()
            : this.expression(level + 1);
    while (BINARY_LEVEL.get(this.#peek().kind) === level) {
      const operator = this.#advance().kind as BinaryOperator;
      const right = this.expression(level + 1);
      left = { kind: "binary", operator, left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  /** Consume a token of `kind`, or fail there. */
  expect(kind: Token["kind"]): Token {
    const token = this.#peek();
    if (token.kind === kind) return this.#advance();
    throw this.#syntaxError(token, kind === ")" && token.kind === "end" ? "Add the missing ')'." : undefined);
  }

  #peek(): Token {
    return this.#tokens[this.#pos] as Token;
  }

  #advance(): Token {
    return this.#tokens[this.#pos++] as Token;
  }

  #not(): Expression {
    const token = this.#peek();
    if (token.kind !== "NOT") return this.expression(NOT_LEVEL + 1);
    this.#descend(this.#advance());
    const operand = this.#not();
    this.#depth--;
    return { kind: "unary", operator: "NOT", operand, span: { start: token.start, end: operand.span.end } };
  }

  /** `x [NOT] IN (items)`, or just `x`. */
  #predicate(): Expression {
    const operand = this.expression(IN_LEVEL + 1);
    const token = this.#peek();
    const negated = token.kind === "NOT" && this.#tokens[this.#pos + 1]?.kind === "IN";
    if (!negated && token.kind !== "IN") return operand;
    this.#pos += negated ? 2 : 1;
    this.expect("(");
    const items = [this.#inItem()];
    while (this.#peek().kind === ",") {
      this.#advance();
      items.push(this.#inItem());
    }
    const close = this.expect(")");
    return { kind: "in", negated, operand, items, span: { start: operand.span.start, end: close.end } };
  }

  /** An IN item: a literal (a number may be signed), a range, NULL, a bind, a plain name or a call. */
  #inItem(): Expression {
    const token = this.#peek();
    switch (token.kind) {
      case "range":
        this.#advance();
        return {
          kind: "range",
          start: token.rangeStart,
          stop: token.rangeStop,
          stride: token.stride,
          span: { start: token.start, end: token.end },
        };
      case "+":
      case "-": {
        this.#advance();
        const number = this.#peek();
        if (number.kind !== "number") throw this.#syntaxError(number);
        this.#advance();
        return this.#number(number, token);
      }
      case "identifier":
        if (token.value.includes(".")) {
          throw this.#syntaxError(
            token,
            "An IN list holds literals, ranges, binds and calls such as UUID(...).",
          );
        }
        return this.#primary();
      case "number":
      case "string":
      case "time":
      case "NULL":
      case "bind":
        return this.#primary();
      default:
        throw this.#syntaxError(token);
    }
  }

  /** `+x`, `-x`; a sign before a number literal becomes part of it. */
  #unary(): Expression {
    const sign = this.#peek();
    if (sign.kind !== "+" && sign.kind !== "-") return this.#primary();
    this.#descend(this.#advance());
    const next = this.#peek();
    if (next.kind === "number") {
      this.#advance();
      this.#depth--;
      return this.#number(next, sign);
    }
    const operand = this.#unary();
    this.#depth--;
    return {
      kind: "unary",
      operator: sign.kind,
      operand,
      span: { start: sign.start, end: operand.span.end },
    };
  }

  #primary(): Expression {
    const token = this.#peek();
    switch (token.kind) {
      case "number":
        this.#advance();
        return this.#number(token);
      case "string":
        this.#advance();
        return { kind: "string", value: token.value, span: { start: token.start, end: token.end } };
      case "time":
        this.#advance();
        return this.#time(token);
      case "NULL":
        this.#advance();
        return { kind: "null", span: { start: token.start, end: token.end } };
      case "bind":
        this.#advance();
        return { kind: "bind", name: token.value, span: { start: token.start, end: token.end } };
      case "identifier":
        this.#advance();
        return this.#peek().kind === "(" && !token.value.includes(".")
          ? this.#call(token)
          : identifier(token);
      case "(":
        return this.#parenthesized();
      case "range":
        throw this.#syntaxError(
          token,
          "A range such as 1..5 can only be an item of an IN list: x IN (1..5).",
        );
      default:
        throw this.#syntaxError(token);
    }
  }

  /** `(expr)` (the node's span grows to include the parentheses) or the 2-tuple `(a, b)`. */
  #parenthesized(): Expression {
    const open = this.#advance();
    this.#descend(open);
    const first = this.expression(1);
    let second: Expression | undefined;
    if (this.#peek().kind === ",") {
      this.#advance();
      second = this.expression(1);
      if (this.#peek().kind === ",") {
        throw this.#syntaxError(this.#peek(), "A tuple has exactly two items: (begin, end).");
      }
    }
    const close = this.expect(")");
    this.#depth--;
    const span = { start: open.start, end: close.end };
    return second === undefined ? { ...first, span } : { kind: "tuple", items: [first, second], span };
  }

  #call(name: TextToken): FunctionCall {
    this.#descend(this.#advance());
    const args: Expression[] = [];
    if (this.#peek().kind !== ")") {
      args.push(this.expression(1));
      while (this.#peek().kind === ",") {
        this.#advance();
        args.push(this.expression(1));
      }
    }
    const close = this.expect(")");
    this.#depth--;
    return {
      kind: "call",
      name: name.value.toUpperCase(),
      args,
      span: { start: name.start, end: close.end },
    };
  }

  #number(token: TextToken, sign?: Token): NumberLiteral {
    const text = sign === undefined ? token.value : sign.kind + token.value;
    const span = { start: (sign ?? token).start, end: token.end };
    const value = Number(text);
    const isInt = !/[.eE]/.test(token.value);
    if (isInt && !Number.isSafeInteger(value)) throw integerOutOfRange(this.#text, text, span);
    if (!Number.isFinite(value)) throw parseFailure(this.#text, `Number ${text} is too large`, span);
    return { kind: "number", numberType: isInt ? "int" : "float", value, text, span };
  }

  #time(token: TextToken): TimeLiteral {
    const span = { start: token.start, end: token.end };
    try {
      // Like daf_butler, times outside the storable range (1970-2100 TAI) are clamped to it.
      const value = parseTime(token.value, { outOfRange: "clamp" });
      return { kind: "time", value, text: token.value, span };
    } catch (error) {
      if (!(error instanceof InvalidTimeError)) throw error;
      const options: ButlerErrorOptions = { hint: error.hint, cause: error };
      throw parseFailure(this.#text, `Invalid time literal: ${error.message}`, span, options);
    }
  }

  /** Count one more level of nesting at `token`. */
  #descend(token: Token): void {
    if (++this.#depth > MAX_DEPTH) {
      const reason = `Expression is nested too deeply (more than ${MAX_DEPTH} levels)`;
      throw parseFailure(this.#text, reason, { start: token.start, end: token.end });
    }
  }

  #syntaxError(token: Token, hint?: string): InvalidQueryError {
    if (token.kind === "end") {
      const reason = "End of input reached while expecting further input";
      return parseFailure(this.#text, reason, { start: token.start, end: token.end }, { hint });
    }
    const shown = token.kind === "string" || token.kind === "time" ? token.value : this.#source(token);
    const reason = `Syntax error at or near '${shown}'`;
    return parseFailure(
      this.#text,
      reason,
      { start: token.start, end: token.end },
      { hint: hint ?? this.#hint(token) },
    );
  }

  #source(token: Token): string {
    return this.#text.slice(token.start, token.end);
  }

  /** A suggestion for common mistakes from other query languages. */
  #hint(token: Token): string | undefined {
    const previous = this.#tokens[this.#pos - 1];
    if (token.kind === "=" && previous?.kind === "=" && previous.end === token.start) {
      return "Use = (not ==) to compare.";
    }
    if (token.kind === "(" && previous?.kind === "identifier" && previous.value.includes(".")) {
      return "A function name cannot contain dots.";
    }
    return token.kind === "identifier" ? WORD_HINTS[token.value.toUpperCase()] : undefined;
  }
}

function identifier(token: TextToken): Identifier {
  return { kind: "identifier", parts: token.value.split("."), span: { start: token.start, end: token.end } };
}
