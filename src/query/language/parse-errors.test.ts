import { describe, expect, it } from "vitest";
import { ButlerUserError, InvalidQueryError } from "../../errors.ts";
import { parseExpression } from "./parser.ts";

function failure(text: string): InvalidQueryError {
  try {
    parseExpression(text);
  } catch (error) {
    if (error instanceof InvalidQueryError) return error;
    throw error;
  }
  throw new Error(`"${text}" parsed`);
}

/** Bad expressions and the three lines of the message users read: reason, expression line, carets. */
const BAD: ReadonlyArray<readonly [string, readonly [string, string, string]]> = [
  [
    "visit = = 3",
    [`Failed to parse expression "visit = = 3": Syntax error at or near '='`, "visit = = 3", "        ^"],
  ],
  [
    "visit =",
    [
      `Failed to parse expression "visit =": End of input reached while expecting further input`,
      "visit =",
      "       ^",
    ],
  ],
  [
    "visit == 3",
    [`Failed to parse expression "visit == 3": Syntax error at or near '='`, "visit == 3", "       ^"],
  ],
  [
    "(visit = 3",
    [
      `Failed to parse expression "(visit = 3": End of input reached while expecting further input`,
      "(visit = 3",
      "          ^",
    ],
  ],
  [
    "visit = 3)",
    [`Failed to parse expression "visit = 3)": Syntax error at or near ')'`, "visit = 3)", "         ^"],
  ],
  [
    "AND visit = 3",
    [`Failed to parse expression "AND visit = 3": Syntax error at or near 'AND'`, "AND visit = 3", "^^^"],
  ],
  [
    "visit = 3 AND",
    [
      `Failed to parse expression "visit = 3 AND": End of input reached while expecting further input`,
      "visit = 3 AND",
      "             ^",
    ],
  ],
  [
    "visit = 3 OR OR detector = 1",
    [
      `Failed to parse expression "visit = 3 OR OR detector = 1": Syntax error at or near 'OR'`,
      "visit = 3 OR OR detector = 1",
      "             ^^",
    ],
  ],
  [
    "NOT",
    [`Failed to parse expression "NOT": End of input reached while expecting further input`, "NOT", "   ^"],
  ],
  [
    "a = NOT b",
    [`Failed to parse expression "a = NOT b": Syntax error at or near 'NOT'`, "a = NOT b", "    ^^^"],
  ],
  [
    "visit NOT 3",
    [`Failed to parse expression "visit NOT 3": Syntax error at or near 'NOT'`, "visit NOT 3", "      ^^^"],
  ],
  ["x = 1 2", [`Failed to parse expression "x = 1 2": Syntax error at or near '2'`, "x = 1 2", "      ^"]],
  [
    "x = 3abc",
    [`Failed to parse expression "x = 3abc": Syntax error at or near 'abc'`, "x = 3abc", "     ^^^"],
  ],
  [
    "x = 1.5.3",
    [`Failed to parse expression "x = 1.5.3": Syntax error at or near '.3'`, "x = 1.5.3", "       ^^"],
  ],
  ["x = 1e", [`Failed to parse expression "x = 1e": Syntax error at or near 'e'`, "x = 1e", "     ^"]],
  [
    "x = 'a' 'b'",
    [`Failed to parse expression "x = 'a' 'b'": Syntax error at or near 'b'`, "x = 'a' 'b'", "        ^^^"],
  ],
  [
    "visit IN ()",
    [`Failed to parse expression "visit IN ()": Syntax error at or near ')'`, "visit IN ()", "          ^"],
  ],
  [
    "visit IN (1, )",
    [
      `Failed to parse expression "visit IN (1, )": Syntax error at or near ')'`,
      "visit IN (1, )",
      "             ^",
    ],
  ],
  [
    "visit IN 1, 2",
    [
      `Failed to parse expression "visit IN 1, 2": Syntax error at or near '1'`,
      "visit IN 1, 2",
      "         ^",
    ],
  ],
  [
    "visit IN (1 2)",
    [
      `Failed to parse expression "visit IN (1 2)": Syntax error at or near '2'`,
      "visit IN (1 2)",
      "            ^",
    ],
  ],
  [
    "visit IN (a.b)",
    [
      `Failed to parse expression "visit IN (a.b)": Syntax error at or near 'a.b'`,
      "visit IN (a.b)",
      "          ^^^",
    ],
  ],
  [
    "visit IN (-x)",
    [
      `Failed to parse expression "visit IN (-x)": Syntax error at or near 'x'`,
      "visit IN (-x)",
      "           ^",
    ],
  ],
  [
    "visit IN ((1))",
    [
      `Failed to parse expression "visit IN ((1))": Syntax error at or near '('`,
      "visit IN ((1))",
      "          ^",
    ],
  ],
  [
    "visit IN (1) IN (2)",
    [
      `Failed to parse expression "visit IN (1) IN (2)": Syntax error at or near 'IN'`,
      "visit IN (1) IN (2)",
      "             ^^",
    ],
  ],
  [
    "x = 1..5",
    [`Failed to parse expression "x = 1..5": Syntax error at or near '1..5'`, "x = 1..5", "    ^^^^"],
  ],
  [
    "visit IN (5..1)",
    [
      `Failed to parse expression "visit IN (5..1)": Range '5..1' stops before it starts`,
      "visit IN (5..1)",
      "          ^^^^",
    ],
  ],
  [
    "visit IN (1..5:0)",
    [
      `Failed to parse expression "visit IN (1..5:0)": Range '1..5:0' has a zero stride`,
      "visit IN (1..5:0)",
      "               ^",
    ],
  ],
  [
    "visit IN (-1..-5)",
    [
      `Failed to parse expression "visit IN (-1..-5)": Range '-1..-5' stops before it starts`,
      "visit IN (-1..-5)",
      "          ^^^^^^",
    ],
  ],
  [
    "x IN (1..2..3)",
    [
      `Failed to parse expression "x IN (1..2..3)": Unexpected character '.'`,
      "x IN (1..2..3)",
      "          ^",
    ],
  ],
  ["x = 5 ..", [`Failed to parse expression "x = 5 ..": Unexpected character '.'`, "x = 5 ..", "      ^"]],
  [
    "visit = 99999999999999999999",
    [
      `Failed to parse expression "visit = 99999999999999999999": Integer 99999999999999999999 is out of range: integers must lie within ±9007199254740991`,
      "visit = 99999999999999999999",
      "        ^^^^^^^^^^^^^^^^^^^^",
    ],
  ],
  [
    "visit IN (1..99999999999999999999)",
    [
      `Failed to parse expression "visit IN (1..99999999999999999999)": Integer 99999999999999999999 is out of range: integers must lie within ±9007199254740991`,
      "visit IN (1..99999999999999999999)",
      "             ^^^^^^^^^^^^^^^^^^^^",
    ],
  ],
  [
    "x = -9007199254740992",
    [
      `Failed to parse expression "x = -9007199254740992": Integer -9007199254740992 is out of range: integers must lie within ±9007199254740991`,
      "x = -9007199254740992",
      "    ^^^^^^^^^^^^^^^^^",
    ],
  ],
  [
    "x = 1e999",
    [`Failed to parse expression "x = 1e999": Number 1e999 is too large`, "x = 1e999", "    ^^^^^"],
  ],
  [
    "t > T'2020-13-01'",
    [
      `Failed to parse expression "t > T'2020-13-01'": Invalid time literal: Cannot parse time "2020-13-01": month 13 does not exist`,
      "t > T'2020-13-01'",
      "    ^^^^^^^^^^^^^",
    ],
  ],
  [
    "t > T'yesterday'",
    [
      `Failed to parse expression "t > T'yesterday'": Invalid time literal: Cannot parse time "yesterday": not a recognised time format`,
      "t > T'yesterday'",
      "    ^^^^^^^^^^^^",
    ],
  ],
  [
    "t > T'2020-03-30 12'",
    [
      `Failed to parse expression "t > T'2020-03-30 12'": Invalid time literal: Cannot parse time "2020-03-30 12": times with an hour but no minutes are not supported`,
      "t > T'2020-03-30 12'",
      "    ^^^^^^^^^^^^^^^^",
    ],
  ],
  [
    "x = T'1900-01-01'",
    [
      `Failed to parse expression "x = T'1900-01-01'": Invalid time literal: Cannot parse time "1900-01-01": UTC is not defined before 1961`,
      "x = T'1900-01-01'",
      "    ^^^^^^^^^^^^^",
    ],
  ],
  [
    "x = T'mjd/58938.515/abc'",
    [
      `Failed to parse expression "x = T'mjd/58938.515/abc'": Invalid time literal: Cannot parse time "mjd/58938.515/abc": unsupported time scale "abc"`,
      "x = T'mjd/58938.515/abc'",
      "    ^^^^^^^^^^^^^^^^^^^^",
    ],
  ],
  [
    "t > T'2020-03-30",
    [
      `Failed to parse expression "t > T'2020-03-30": Unterminated time literal`,
      "t > T'2020-03-30",
      "    ^^^^^^^^^^^^",
    ],
  ],
  [
    "name = 'abc",
    [`Failed to parse expression "name = 'abc": Unterminated string literal`, "name = 'abc", "       ^^^^"],
  ],
  [
    "x = 'it's'",
    [`Failed to parse expression "x = 'it's'": Unterminated string literal`, "x = 'it's'", "         ^"],
  ],
  [
    'name = "abc"',
    [`Failed to parse expression "name = "abc"": Unexpected character '"'`, 'name = "abc"', "       ^"],
  ],
  ["a & b", [`Failed to parse expression "a & b": Unexpected character '&'`, "a & b", "  ^"]],
  ["a | b", [`Failed to parse expression "a | b": Unexpected character '|'`, "a | b", "  ^"]],
  ["a ! b", [`Failed to parse expression "a ! b": Unexpected character '!'`, "a ! b", "  ^"]],
  ["x = [1]", [`Failed to parse expression "x = [1]": Unexpected character '['`, "x = [1]", "    ^"]],
  ["é = 1", [`Failed to parse expression "é = 1": Unexpected character 'é'`, "é = 1", "^"]],
  [
    "x = 1\u00a0",
    [`Failed to parse expression "x = 1\u00a0": Unexpected character U+00A0`, "x = 1\u00a0", "     ^"],
  ],
  ["x = :", [`Failed to parse expression "x = :": Expected a bind name after ':'`, "x = :", "    ^"]],
  ["x = : y", [`Failed to parse expression "x = : y": Expected a bind name after ':'`, "x = : y", "    ^"]],
  ["x = :1", [`Failed to parse expression "x = :1": Expected a bind name after ':'`, "x = :1", "    ^"]],
  [
    "visit.id.x.y = 1",
    [
      `Failed to parse expression "visit.id.x.y = 1": Unexpected character '.'`,
      "visit.id.x.y = 1",
      "          ^",
    ],
  ],
  ["a.b(1)", [`Failed to parse expression "a.b(1)": Syntax error at or near '('`, "a.b(1)", "   ^"]],
  ["f(1,)", [`Failed to parse expression "f(1,)": Syntax error at or near ')'`, "f(1,)", "    ^"]],
  [
    "f(1",
    [`Failed to parse expression "f(1": End of input reached while expecting further input`, "f(1", "   ^"],
  ],
  ["f(x) (y)", [`Failed to parse expression "f(x) (y)": Syntax error at or near '('`, "f(x) (y)", "     ^"]],
  ["NULL(1)", [`Failed to parse expression "NULL(1)": Syntax error at or near '('`, "NULL(1)", "    ^"]],
  [
    "(a, b, c) OVERLAPS t",
    [
      `Failed to parse expression "(a, b, c) OVERLAPS t": Syntax error at or near ','`,
      "(a, b, c) OVERLAPS t",
      "     ^",
    ],
  ],
  ["()", [`Failed to parse expression "()": Syntax error at or near ')'`, "()", " ^"]],
  [
    "x IS NULL",
    [`Failed to parse expression "x IS NULL": Syntax error at or near 'IS'`, "x IS NULL", "  ^^"],
  ],
  [
    "name LIKE 'a%'",
    [
      `Failed to parse expression "name LIKE 'a%'": Syntax error at or near 'LIKE'`,
      "name LIKE 'a%'",
      "     ^^^^",
    ],
  ],
  [
    "x BETWEEN 1 AND 2",
    [
      `Failed to parse expression "x BETWEEN 1 AND 2": Syntax error at or near 'BETWEEN'`,
      "x BETWEEN 1 AND 2",
      "  ^^^^^^^",
    ],
  ],
  [
    "instrument = 'HSC'\nAND visit = = 3",
    [
      `Failed to parse expression "instrument = 'HSC'\\nAND visit = = 3": Syntax error at or near '='`,
      "line 2: AND visit = = 3",
      "                    ^",
    ],
  ],
  [
    "visit =\n",
    [
      `Failed to parse expression "visit =\\n": End of input reached while expecting further input`,
      "line 1: visit =",
      "               ^",
    ],
  ],
  [
    "\tvisit = = 3",
    [
      `Failed to parse expression "\tvisit = = 3": Syntax error at or near '='`,
      "\tvisit = = 3",
      "\t        ^",
    ],
  ],
];

describe("parseExpression() errors", () => {
  it("covers at least 40 bad expressions", () => {
    expect(BAD.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD)("%j", (text, lines) => {
    const error = failure(text);
    expect(error).toBeInstanceOf(InvalidQueryError);
    expect(error).toBeInstanceOf(ButlerUserError);
    expect(error.code).toBe("InvalidQueryError");
    expect(error.message).toBe(lines.join("\n"));
    expect(error.expression).toBe(text);
    expect(error.span?.start).toBeLessThanOrEqual(text.length);
  });

  it("puts the offending span and the reason on the error", () => {
    const error = failure("visit IN (5..1)");
    expect(error.span).toEqual({ start: 10, end: 14 });
    expect(error.reason).toBe(
      `Failed to parse expression "visit IN (5..1)": Range '5..1' stops before it starts`,
    );
  });

  it.each([
    ["visit == 3", "Use = (not ==) to compare."],
    ["(visit = 3", "Add the missing ')'."],
    ["x = 1..5", "A range such as 1..5 can only be an item of an IN list: x IN (1..5)."],
    ["visit IN (5..1)", "Write the smaller bound first: 1..5."],
    ["visit IN (1..5:0)", "Use a positive stride, e.g. 1..9:2."],
    ['name = "abc"', "Strings use single quotes: 'text'."],
    ["a & b", "Use AND."],
    ["x = :", "Write a bind as :name, e.g. visit = :visit_id."],
    ["a.b(1)", "A function name cannot contain dots."],
    ["(a, b, c)", "A tuple has exactly two items: (begin, end)."],
    ["x is null", "Write x = NULL or x != NULL instead of IS [NOT] NULL."],
    ["x = T'1900-01-01'", "Give the time in TAI (suffix /tai) instead."],
    ["visit = = 3", undefined],
  ])("hints at the fix for %j", (text, hint) => {
    expect(failure(text).hint).toBe(hint);
  });

  it("keeps the time parser's error as the cause of a bad time literal", () => {
    expect(failure("t > T'2020-13-01'").cause).toMatchObject({ code: "InvalidTimeError" });
  });
});
