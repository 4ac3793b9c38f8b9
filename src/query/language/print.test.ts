import { describe, expect, it } from "vitest";
import type { Expression } from "./ast.ts";
import { parseExpression } from "./parser.ts";
import { printExpression } from "./print.ts";

function reprinted(text: string): string {
  return printExpression(parseExpression(text) as Expression);
}

describe("printExpression()", () => {
  it.each([
    ["visit in (1..5, -3, +4) and not (a or b)", "visit IN (1..5, -3, +4) AND NOT (a OR b)"],
    ["instrument='HSC'AND visit IN(903334..903338)", "instrument = 'HSC' AND visit IN (903334..903338)"],
    ["a OR b AND c", "a OR b AND c"],
    ["(a OR b) AND c", "(a OR b) AND c"],
    ["NOT a = b", "NOT a = b"],
    ["(NOT a) = b", "(NOT a) = b"],
    ["NOT (a AND b)", "NOT (a AND b)"],
    ["a - (b - c)", "a - (b - c)"],
    ["(a - b) - c", "a - b - c"],
    ["(a * b) + (c * d)", "a * b + c * d"],
    ["-(a + b) * c", "-(a + b) * c"],
    ["-x * y", "-x * y"],
    ["- (5)", "-(5)"],
    ["- -5", "-(-5)"],
    ["a - -5", "a - -5"],
    ["(x IN (1)) IN (2)", "(x IN (1)) IN (2)"],
    ["(a = b) = c", "a = b = c"],
    ["a = (b = c)", "a = (b = c)"],
    ["a < b = c < d", "a < b = c < d"],
    ["(a = b) OVERLAPS c", "a = b OVERLAPS c"],
    ["a = (b OVERLAPS c)", "a = (b OVERLAPS c)"],
    ["x not in (1..10:1, 2..8:2, null, :b, uuid('abc'))", "x NOT IN (1..10, 2..8:2, NULL, :b, UUID('abc'))"],
    ["glob(full_name, 'A?')", "GLOB(full_name, 'A?')"],
    ["f()", "F()"],
    ["t OVERLAPS (t'2020-01-01', NULL)", "t OVERLAPS (T'2020-01-01', NULL)"],
    ["x = 1.50e+3", "x = 1.50e+3"],
    ["visit.timespan.begin > T'mjd/58938.515/tai'", "visit.timespan.begin > T'mjd/58938.515/tai'"],
  ])("%s -> %s", (text, expected) => {
    expect(reprinted(text)).toBe(expected);
  });

  it("prints very long AND/OR chains without running out of stack", () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `v = ${i}`).join(" OR ");
    expect(reprinted(text)).toBe(text);
  });
});
