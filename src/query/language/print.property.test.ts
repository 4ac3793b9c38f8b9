import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../../test/support/property.ts";
import { parseTime } from "../../time/parse-time.ts";
import type { BinaryOperator, Expression, NumberLiteral } from "./ast.ts";
import { parseExpression } from "./parser.ts";
import { printExpression } from "./print.ts";

/** The tree with every `span` removed, for comparing trees parsed from different texts. */
function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "span")
      .map(([key, item]) => [key, withoutSpans(item)]),
  );
}

const span = { start: 0, end: 0 };
const KEYWORDS = new Set(["AND", "OR", "NOT", "IN", "OVERLAPS", "NULL"]);
const BINARY: readonly BinaryOperator[] = [
  "OR",
  "AND",
  "OVERLAPS",
  "=",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "%",
];

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/);
const plainName = name.filter((n) => !KEYWORDS.has(n.toUpperCase()));

function numberLiteral(text: string): NumberLiteral {
  const isInt = !/[.eE]/.test(text);
  return { kind: "number", numberType: isInt ? "int" : "float", value: Number(text), text, span };
}

const sign = fc.constantFrom("", "", "-", "+");
const number = fc.oneof(
  fc.tuple(sign, fc.nat({ max: Number.MAX_SAFE_INTEGER })).map(([s, n]) => numberLiteral(`${s}${n}`)),
  fc
    .tuple(sign, fc.stringMatching(/^(\d{1,4}(\.\d{0,3})?|\.\d{1,3})([eE][-+]?\d{1,2})?$/))
    .map(([s, digits]) => numberLiteral(`${s}${digits}`)),
);
const string = fc
  .string({ unit: "grapheme", maxLength: 8 })
  .filter((s) => !s.includes("'") && !s.includes("\n"))
  .map((value): Expression => ({ kind: "string", value, span }));
const timeText = fc.oneof(
  fc.constantFrom(
    "2020-03-30 12:20:33",
    "58938.515",
    "mjd/58938.515/tai",
    "2016-12-31T23:59:60",
    "2021:090:01:02",
  ),
  fc
    .date({ min: new Date("1972-01-01"), max: new Date("2099-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 23)),
);
const time = timeText.map(
  (text): Expression => ({ kind: "time", value: parseTime(text, { outOfRange: "clamp" }), text, span }),
);
const nullLiteral = fc.constant<Expression>({ kind: "null", span });
const bind = name.map((n): Expression => ({ kind: "bind", name: n, span }));
const identifier = fc
  .oneof(
    plainName.map((n) => [n]),
    fc.array(name, { minLength: 2, maxLength: 3 }),
  )
  .map((parts): Expression => ({ kind: "identifier", parts, span }));
const range = fc
  .tuple(fc.integer({ min: -1000, max: 1000 }), fc.nat(100), fc.integer({ min: 1, max: 10 }))
  .map(
    ([start, length, stride]): Expression => ({ kind: "range", start, stop: start + length, stride, span }),
  );

const leaf = fc.oneof(number, string, time, nullLiteral, bind, identifier);

const { expression } = fc.letrec<{ expression: Expression }>((tie) => ({
  expression: fc.oneof(
    { maxDepth: 5, depthSize: "small" },
    leaf,
    fc
      .tuple(fc.constantFrom(...BINARY), tie("expression"), tie("expression"))
      .map(([operator, left, right]): Expression => ({ kind: "binary", operator, left, right, span })),
    fc
      .tuple(fc.constantFrom("NOT" as const, "-" as const, "+" as const), tie("expression"))
      .map(([operator, operand]): Expression => ({ kind: "unary", operator, operand, span })),
    fc
      .tuple(
        fc.boolean(),
        tie("expression"),
        fc.array(
          fc.oneof(
            number,
            string,
            time,
            nullLiteral,
            bind,
            range,
            plainName.map((n): Expression => ({ kind: "identifier", parts: [n], span })),
            fc
              .tuple(plainName, fc.array(tie("expression"), { maxLength: 2 }))
              .map(([n, args]): Expression => ({ kind: "call", name: n.toUpperCase(), args, span })),
          ),
          { minLength: 1, maxLength: 4 },
        ),
      )
      .map(([negated, operand, items]): Expression => ({ kind: "in", negated, operand, items, span })),
    fc
      .tuple(plainName, fc.array(tie("expression"), { maxLength: 3 }))
      .map(([n, args]): Expression => ({ kind: "call", name: n.toUpperCase(), args, span })),
    fc
      .tuple(tie("expression"), tie("expression"))
      .map(([a, b]): Expression => ({ kind: "tuple", items: [a, b], span })),
  ),
}));

describe("printExpression() and parseExpression()", () => {
  it("parse back every printed tree to the same tree (spans aside)", () => {
    fc.assert(
      fc.property(expression, (tree) => {
        const text = printExpression(tree);
        expect(withoutSpans(parseExpression(text)), text).toEqual(withoutSpans(tree));
      }),
      { ...PROPERTY_OPTIONS, numRuns: 3000 },
    );
  });

  it("print canonically: printing a parsed printout changes nothing", () => {
    fc.assert(
      fc.property(expression, (tree) => {
        const text = printExpression(tree);
        expect(printExpression(parseExpression(text) as Expression)).toBe(text);
      }),
      { ...PROPERTY_OPTIONS, numRuns: 3000 },
    );
  });
});
