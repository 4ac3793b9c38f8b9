import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../../test/support/property.ts";
import { InvalidQueryError } from "../../errors.ts";
import type { Expression } from "./ast.ts";
import { parseExpression } from "./parser.ts";
import { printExpression } from "./print.ts";

const VALID = [
  "instrument = 'HSC' AND visit IN (903334..903338) AND detector != 9 AND band = 'r'",
  "visit.timespan.begin > T'2020-03-30 12:20:33'",
  "(T'2020-01-01', T'2022-01-01') OVERLAPS (T'2019-01-01', T'2021-01-01')",
  "GLOB(full_name, 'A?') OR NOT exposure.can_see_sky",
  "flat.dataset_id = UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')",
  "visit_detector_region.region OVERLAPS POINT(53.6, -32.7)",
  "x NOT IN (1..10:2, :b, -5, NULL) AND -x * y % 3 >= .5e-3",
  "(visit = 100 OR visit = 101) AND exposure % 2 = 1",
];

/** Pieces the fuzzer strings are made of: language fragments and characters that trip lexers. */
const PIECES = [
  ..."abTtxe019.:'(),=!<>+-*/% \n\t\"&|[é\u00a0\u0000😀",
  "AND ",
  " or ",
  "NOT ",
  " IN ",
  " OVERLAPS ",
  "NULL",
  "..",
  "T'",
  "2020-01-01",
  ":b",
  "visit.id",
  "1e9",
  "99999999999999999999",
];

/** Parse, and check the outcome is a tree with sane spans or an InvalidQueryError pointing into the text. */
function parsesOrFailsCleanly(text: string): void {
  let tree: Expression | undefined;
  try {
    tree = parseExpression(text);
  } catch (error) {
    expect(error, text).toBeInstanceOf(InvalidQueryError);
    const { span, expression } = error as InvalidQueryError;
    expect(expression).toBe(text);
    expect(span !== undefined && 0 <= span.start && span.start <= span.end && span.end <= text.length).toBe(
      true,
    );
    return;
  }
  if (tree === undefined) {
    expect(text.trim()).toBe("");
    return;
  }
  expect(tree.span.start >= 0 && tree.span.end <= text.length, text).toBe(true);
  const printed = printExpression(tree);
  expect(printExpression(parseExpression(printed) as Expression), text).toBe(printed);
}

/** Whole tokens, so that most token soups get past the lexer and exercise the parser. */
const TOKENS = [
  ..."(),=<>+-*/%",
  "!=",
  "<=",
  ">=",
  "a",
  "b.c",
  "T'2020-01-01'",
  "'s'",
  "1",
  ".5e3",
  "1..3:2",
  ":b",
  "f(",
  "AND",
  "OR",
  "NOT",
  "IN",
  "OVERLAPS",
  "NULL",
];

const mutation = fc.record({
  at: fc.nat(),
  remove: fc.nat(4),
  insert: fc.oneof(fc.constant(""), fc.constantFrom(...PIECES)),
});

describe("parseExpression() on arbitrary input", () => {
  it("parses or throws InvalidQueryError for strings of language fragments", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 30 }), parsesOrFailsCleanly),
      { ...PROPERTY_OPTIONS, numRuns: 5000 },
    );
  });

  it("parses or throws InvalidQueryError for sequences of tokens", () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((tokens) => tokens.join(" "));
    fc.assert(fc.property(soup, parsesOrFailsCleanly), { ...PROPERTY_OPTIONS, numRuns: 5000 });
  });

  it("parses or throws InvalidQueryError for arbitrary Unicode text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), parsesOrFailsCleanly), {
      ...PROPERTY_OPTIONS,
      numRuns: 500,
    });
  });

  it("parses or throws InvalidQueryError for mutations of valid expressions", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (text, edits) => {
          let mutated = text;
          for (const { at, remove, insert } of edits) {
            const position = at % (mutated.length + 1);
            mutated = mutated.slice(0, position) + insert + mutated.slice(position + remove);
          }
          parsesOrFailsCleanly(mutated);
        },
      ),
      { ...PROPERTY_OPTIONS, numRuns: 5000 },
    );
  });

  it("fails cleanly on nesting too deep to recurse into", () => {
    for (const opener of ["(", "NOT ", "-", "f("]) {
      parsesOrFailsCleanly(`${opener.repeat(100_000)}x`);
    }
    expect(() => parseExpression(`${"(".repeat(101)}x${")".repeat(101)}`)).toThrow("nested too deeply");
    expect(parseExpression(`${"(".repeat(99)}x${")".repeat(99)}`)).toMatchObject({ kind: "identifier" });
  });

  it("reads long input in one pass", () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `(v = ${i} AND d IN (1..${i + 1}, 'x'))`).join(
      " OR ",
    );
    expect(parseExpression(text)?.span).toEqual({ start: 0, end: text.length });
  });
});
