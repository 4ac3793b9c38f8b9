import { describe, expect, it } from "vitest";
import { parseTime } from "../../time/parse-time.ts";
import type { Expression } from "./ast.ts";
import { parseExpression } from "./parser.ts";

/** The tree as a compact s-expression: binary and unary nodes in parentheses, literals as written. */
function sexpr(e: Expression): string {
  switch (e.kind) {
    case "binary":
      return `(${e.operator} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case "unary":
      return `(${e.operator} ${sexpr(e.operand)})`;
    case "in":
      return `(${e.negated ? "NOT IN" : "IN"} ${sexpr(e.operand)} [${e.items.map(sexpr).join(" ")}])`;
    case "call":
      return `${e.name}(${e.args.map(sexpr).join(" ")})`;
    case "tuple":
      return `<${sexpr(e.items[0])} ${sexpr(e.items[1])}>`;
    case "number":
      return `${e.numberType}:${e.value}`;
    case "string":
      return `'${e.value}'`;
    case "time":
      return `T${e.value}`;
    case "null":
      return "NULL";
    case "range":
      return `${e.start}..${e.stop}:${e.stride}`;
    case "identifier":
      return e.parts.join(".");
    case "bind":
      return `:${e.name}`;
  }
}

function parsed(text: string): string {
  const tree = parseExpression(text);
  if (tree === undefined) throw new Error(`"${text}" parsed to nothing`);
  return sexpr(tree);
}

function tai(text: string): bigint {
  return parseTime(text);
}

describe("parseExpression() precedence", () => {
  it.each([
    ["NOT a = b", "(NOT (= a b))"],
    ["a OR b AND c", "(OR a (AND b c))"],
    ["a AND b OR c", "(OR (AND a b) c)"],
    ["NOT a AND b", "(AND (NOT a) b)"],
    ["NOT a OR b", "(OR (NOT a) b)"],
    ["a AND NOT b", "(AND a (NOT b))"],
    ["NOT NOT a", "(NOT (NOT a))"],
    ["-x * y", "(* (- x) y)"],
    ["-(x * y)", "(- (* x y))"],
    ["a - b - c", "(- (- a b) c)"],
    ["a - (b - c)", "(- a (- b c))"],
    ["a / b * c % d", "(% (* (/ a b) c) d)"],
    ["a + b * c", "(+ a (* b c))"],
    ["(a + b) * c", "(* (+ a b) c)"],
    ["a + b < c * d", "(< (+ a b) (* c d))"],
    ["a < b = c < d", "(= (< a b) (< c d))"],
    ["a = b = c", "(= (= a b) c)"],
    ["a = b OVERLAPS c != d", "(OVERLAPS (= a b) (!= c d))"],
    ["a OVERLAPS b AND c OVERLAPS d", "(AND (OVERLAPS a b) (OVERLAPS c d))"],
    ["a + 1 IN (2)", "(IN (+ a int:1) [int:2])"],
    ["a = b IN (1)", "(= a (IN b [int:1]))"],
    ["a IN (1) = b", "(= (IN a [int:1]) b)"],
    ["a < b IN (1)", "(< a (IN b [int:1]))"],
    ["NOT a IN (1)", "(NOT (IN a [int:1]))"],
    ["a NOT IN (1) AND b", "(AND (NOT IN a [int:1]) b)"],
    ["- - x", "(- (- x))"],
    ["+x", "(+ x)"],
    ["-(5)", "(- int:5)"],
    ["a - -5", "(- a int:-5)"],
    ["a-5", "(- a int:5)"],
    ["-5 % 3", "(% int:-5 int:3)"],
  ])("%s", (text, expected) => {
    expect(parsed(text)).toBe(expected);
  });
});

describe("parseExpression() constructs", () => {
  it("gives undefined for empty and blank text (no constraint)", () => {
    expect(parseExpression("")).toBeUndefined();
    expect(parseExpression("  \n\t ")).toBeUndefined();
  });

  it.each([
    ["visit = 903334", "(= visit int:903334)"],
    ["exposure.exposure_time > 1.5e1", "(> exposure.exposure_time float:15)"],
    ["x = .5", "(= x float:0.5)"],
    ["x = 1.", "(= x float:1)"],
    ["x = +5", "(= x int:5)"],
    ["instrument = 'HSC'", "(= instrument 'HSC')"],
    ["x = ''", "(= x '')"],
    ["x != NULL", "(!= x NULL)"],
    ["x = null", "(= x NULL)"],
    ["visit = :visit", "(= visit :visit)"],
    ["Visit = visit", "(= Visit visit)"],
    ["visit.ID = 1", "(= visit.ID int:1)"],
    ["visit IN (100..200) AND tract = 500", "(AND (IN visit [100..200:1]) (= tract int:500))"],
    ["visit IN (100, 110, 130..145:5)", "(IN visit [int:100 int:110 130..145:5])"],
    ["x IN (1..10:2, :b, 5)", "(IN x [1..10:2 :b int:5])"],
    ["x IN (-10..-1:2)", "(IN x [-10..-1:2])"],
    ["x IN (-5, +3, 'a', NULL, legacy_bind)", "(IN x [int:-5 int:3 'a' NULL legacy_bind])"],
    ["detector NOT IN (:ids)", "(NOT IN detector [:ids])"],
    ["x not in (1)", "(NOT IN x [int:1])"],
    [
      "(visit = 100 OR visit = 101) AND exposure % 2 = 1",
      "(AND (OR (= visit int:100) (= visit int:101)) (= (% exposure int:2) int:1))",
    ],
    ["GLOB(full_name, 'A?')", "GLOB(full_name 'A?')"],
    ["glob(full_name, :pattern)", "GLOB(full_name :pattern)"],
    ["POINT(53.6, -32.7)", "POINT(float:53.6 float:-32.7)"],
    ["region OVERLAPS circle(1, 2, 3 * 0.5)", "(OVERLAPS region CIRCLE(int:1 int:2 (* int:3 float:0.5)))"],
    ["f()", "F()"],
    ["f((1, 2))", "F(<int:1 int:2>)"],
    ["(((a)))", "a"],
  ])("%s", (text, expected) => {
    expect(parsed(text)).toBe(expected);
  });

  it("reads time literals into TAI nanoseconds", () => {
    const tree = parseExpression("visit.timespan.begin > T'2020-03-30 12:20:33'");
    expect(tree).toMatchObject({
      kind: "binary",
      operator: ">",
      left: { kind: "identifier", parts: ["visit", "timespan", "begin"] },
      right: { kind: "time", text: "2020-03-30 12:20:33", value: tai("2020-03-30 12:20:33") },
    });
    expect(parsed("t = T'mjd/58938.515/tai'")).toBe(`(= t T${tai("mjd/58938.515/tai")})`);
  });

  it("clamps times outside 1970-2100 TAI, as daf_butler does", () => {
    expect(parsed("t < T'2200-01-01'")).toBe("(< t T4102444800000000000)");
    expect(parsed("t > T'1965-01-01/tai'")).toBe("(> t T0)");
  });

  it("reads 2-tuples of times as time ranges", () => {
    const text = "(T'2020-01-01', T'2022-01-01') OVERLAPS (T'2019-01-01', T'2021-01-01')";
    const [a, b, c, d] = ["2020-01-01", "2022-01-01", "2019-01-01", "2021-01-01"].map(tai);
    expect(parsed(text)).toBe(`(OVERLAPS <T${a} T${b}> <T${c} T${d}>)`);
    expect(parsed("visit.timespan OVERLAPS (NULL, :t1)")).toBe("(OVERLAPS visit.timespan <NULL :t1>)");
  });

  it("keeps UUID() and other calls generic, with the name upper-cased", () => {
    expect(parseExpression("flat.dataset_id = uuid('e15ab039-bc8b-4135-87c5-90902a7c0b22')")).toMatchObject({
      right: {
        kind: "call",
        name: "UUID",
        args: [{ kind: "string", value: "e15ab039-bc8b-4135-87c5-90902a7c0b22" }],
      },
    });
  });

  it("tells ints from floats and keeps the text as written", () => {
    expect(parseExpression("1e3")).toMatchObject({
      kind: "number",
      numberType: "float",
      value: 1000,
      text: "1e3",
    });
    expect(parseExpression("- 7")).toMatchObject({
      kind: "number",
      numberType: "int",
      value: -7,
      text: "-7",
    });
    expect(parseExpression("9007199254740991")).toMatchObject({ numberType: "int", value: 9007199254740991 });
  });
});

describe("parseExpression() spans", () => {
  it("gives every node the offsets of its text", () => {
    const text = "x IN (1..10:2, :b, 5) AND NOT f(a.b, 'c')";
    expect(parseExpression(text)).toEqual({
      kind: "binary",
      operator: "AND",
      span: { start: 0, end: 41 },
      left: {
        kind: "in",
        negated: false,
        span: { start: 0, end: 21 },
        operand: { kind: "identifier", parts: ["x"], span: { start: 0, end: 1 } },
        items: [
          { kind: "range", start: 1, stop: 10, stride: 2, span: { start: 6, end: 13 } },
          { kind: "bind", name: "b", span: { start: 15, end: 17 } },
          { kind: "number", numberType: "int", value: 5, text: "5", span: { start: 19, end: 20 } },
        ],
      },
      right: {
        kind: "unary",
        operator: "NOT",
        span: { start: 26, end: 41 },
        operand: {
          kind: "call",
          name: "F",
          span: { start: 30, end: 41 },
          args: [
            { kind: "identifier", parts: ["a", "b"], span: { start: 32, end: 35 } },
            { kind: "string", value: "c", span: { start: 37, end: 40 } },
          ],
        },
      },
    });
  });

  it("widens a parenthesized node's span over its parentheses and a signed number's over its sign", () => {
    const text = "(a + b) * - 2";
    const tree = parseExpression(text);
    expect(tree?.span).toEqual({ start: 0, end: 13 });
    expect(tree).toMatchObject({
      left: { span: { start: 0, end: 7 } },
      right: { span: { start: 10, end: 13 } },
    });
    expect(parseExpression("(a, b)")?.span).toEqual({ start: 0, end: 6 });
  });

  it("counts offsets across line breaks", () => {
    const text = "instrument = 'HSC'\n  AND visit = 1";
    const tree = parseExpression(text);
    expect(tree).toMatchObject({ right: { span: { start: 25, end: 34 } } });
    expect(text.slice(25, 34)).toBe("visit = 1");
  });
});
