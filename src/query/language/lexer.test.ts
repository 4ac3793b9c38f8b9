import { describe, expect, it } from "vitest";
import { InvalidQueryError } from "../../errors.ts";
import { type Token, tokenize } from "./lexer.ts";

/** Each token as `kind:source text`, for compact expectations. */
function shapes(text: string): string[] {
  return tokenize(text).map((token: Token) => `${token.kind}:${text.slice(token.start, token.end)}`);
}

describe("tokenize()", () => {
  it("reads every operator and punctuation mark", () => {
    expect(shapes("( ) = != < <= > >= + - * / % ,").slice(0, -1)).toEqual([
      "(:(",
      "):)",
      "=:=",
      "!=:!=",
      "<:<",
      "<=:<=",
      ">:>",
      ">=:>=",
      "+:+",
      "-:-",
      "*:*",
      "/:/",
      "%:%",
      ",:,",
    ]);
  });

  it("reads reserved words in any case and keeps what was written", () => {
    const tokens = tokenize("and Or NOT in overlaps Null");
    expect(tokens.map((t) => t.kind)).toEqual(["AND", "OR", "NOT", "IN", "OVERLAPS", "NULL", "end"]);
    expect(tokens.map((t) => ("value" in t ? t.value : ""))).toEqual([
      "and",
      "Or",
      "NOT",
      "in",
      "overlaps",
      "Null",
      "end",
    ]);
  });

  it("reads case-sensitive identifiers with up to two dots, and reserved words only undotted", () => {
    expect(shapes("Visit visit.ID visit.timespan.begin _x9 and.or andx")).toEqual([
      "identifier:Visit",
      "identifier:visit.ID",
      "identifier:visit.timespan.begin",
      "identifier:_x9",
      "identifier:and.or",
      "identifier:andx",
      "end:",
    ]);
  });

  it("reads numbers in every form daf_butler accepts, leaving an incomplete exponent unread", () => {
    expect(shapes("1 1. 1.5 .5 1e10 1.1E-10 .1e+3 1e")).toEqual([
      "number:1",
      "number:1.",
      "number:1.5",
      "number:.5",
      "number:1e10",
      "number:1.1E-10",
      "number:.1e+3",
      "number:1",
      "identifier:e",
      "end:",
    ]);
  });

  it("reads ranges before numbers, with negative bounds, spaces and a stride", () => {
    const tokens = tokenize("1..10 -10..-1:2 5 .. 7 : 3 -3");
    expect(tokens.map((t) => (t.kind === "range" ? [t.rangeStart, t.rangeStop, t.stride] : t.kind))).toEqual([
      [1, 10, 1],
      [-10, -1, 2],
      [5, 7, 3],
      "-",
      "number",
      "end",
    ]);
    expect(tokens.map((t) => [t.start, t.end])).toEqual([
      [0, 5],
      [6, 15],
      [16, 26],
      [27, 28],
      [28, 29],
      [29, 29],
    ]);
  });

  it("leaves a colon after a range alone when no stride follows", () => {
    expect(shapes("1..5:b")).toEqual(["range:1..5", "bind::b", "end:"]);
  });

  it("reads strings and time literals without their quotes, and a lower-case t as daf_butler does", () => {
    const tokens = tokenize("'HSC' T'2020-01-01' t'58938.5' ''");
    expect(tokens.map((t) => [t.kind, "value" in t ? t.value : ""])).toEqual([
      ["string", "HSC"],
      ["time", "2020-01-01"],
      ["time", "58938.5"],
      ["string", ""],
      ["end", "end"],
    ]);
  });

  it("keeps a T followed by a space as an identifier", () => {
    expect(shapes("T '2020'")).toEqual(["identifier:T", "string:'2020'", "end:"]);
  });

  it("reads binds without their colon", () => {
    const [bind] = tokenize(":visit_ids");
    expect(bind).toEqual({ kind: "bind", start: 0, end: 10, value: "visit_ids" });
  });

  it("skips spaces, tabs and line breaks and puts the end just after the last token", () => {
    expect(tokenize(" \ta\r\n = 1 \n").map((t) => [t.kind, t.start, t.end])).toEqual([
      ["identifier", 2, 3],
      ["=", 6, 7],
      ["number", 8, 9],
      ["end", 9, 9],
    ]);
  });

  it("gives only the end token for blank text", () => {
    expect(tokenize(" \n\t")).toEqual([{ kind: "end", start: 0, end: 0, value: "end" }]);
  });

  it("fails with InvalidQueryError on characters no token starts with", () => {
    expect(() => tokenize("a ~ b")).toThrow(InvalidQueryError);
    expect(() => tokenize("a ~ b")).toThrow("Unexpected character '~'");
  });
});
