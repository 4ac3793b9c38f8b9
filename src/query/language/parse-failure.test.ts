import { describe, expect, it } from "vitest";
import { InvalidQueryError } from "../../errors.ts";
import { parseFailure } from "./parse-failure.ts";

describe("InvalidQueryError", () => {
  it("shows the expression with carets under the span", () => {
    const error = new InvalidQueryError("Name 'x' is not in the bind map", {
      expression: "visit = :x",
      span: { start: 8, end: 10 },
      hint: "Pass it with --bind x=VALUE.",
    });
    expect(error.message).toBe("Name 'x' is not in the bind map\nvisit = :x\n        ^^");
    expect(error.reason).toBe("Name 'x' is not in the bind map");
    expect(error.code).toBe("InvalidQueryError");
    expect(error.hint).toBe("Pass it with --bind x=VALUE.");
  });

  it("shows only the offending line of a multi-line expression, numbered, with carets to its end", () => {
    const error = new InvalidQueryError("Bad", {
      expression: "a = 1\r\nAND b = 'x\ny'",
      span: { start: 15, end: 19 },
    });
    expect(error.message).toBe("Bad\nline 2: AND b = 'x\n                ^^");
  });

  it("puts one caret past the end for an empty span at the end", () => {
    expect(new InvalidQueryError("Bad", { expression: "a =", span: { start: 3, end: 3 } }).message).toBe(
      "Bad\na =\n   ^",
    );
  });

  it("shows the whole expression without a span, and only the reason without an expression", () => {
    expect(new InvalidQueryError("Bad", { expression: "a = 1" }).message).toBe("Bad\na = 1");
    expect(new InvalidQueryError("Bad").message).toBe("Bad");
    expect(new InvalidQueryError("Bad").span).toBeUndefined();
  });
});

describe("parseFailure()", () => {
  it("quotes the expression on the first line, writing line breaks as \\n", () => {
    const error = parseFailure("a = 1 AND\n= 2", "Syntax error at or near '='", { start: 10, end: 11 });
    expect(error.message).toBe(
      `Failed to parse expression "a = 1 AND\\n= 2": Syntax error at or near '='\nline 2: = 2\n        ^`,
    );
    expect(error.expression).toBe("a = 1 AND\n= 2");
  });
});
