import { describe, expect, it } from "vitest";
import { byteSource } from "../../../test/support/byte-source.ts";
import { rejection as rejectionOf } from "../../../test/support/caught.ts";
import { FormatterError } from "../../errors.ts";
import { jsonFormatter } from "./json-formatter.ts";

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, FormatterError);

const source = byteSource;
const text = async (object: unknown) => new TextDecoder().decode(await jsonFormatter.write(object));
const roundTrip = async (object: unknown) => jsonFormatter.read(source(await jsonFormatter.write(object)));

describe("jsonFormatter.write", () => {
  it("writes one line in Python's json.dumps style", async () => {
    expect(await text({ detector: 1, values: [1.5, 2.5, 1], label: "det1", ok: true, none: null })).toBe(
      '{"detector": 1, "values": [1.5, 2.5, 1], "label": "det1", "ok": true, "none": null}',
    );
  });

  it("keeps non-ASCII characters and escapes control characters as Python does", async () => {
    expect(await text({ clé: "naïve ☃ 😀", tab: "a\tb\u0001" })).toBe(
      '{"clé": "naïve ☃ 😀", "tab": "a\\tb\\u0001"}',
    );
  });

  it("writes numbers as Python writes ints and floats", async () => {
    expect(await text([0, -0, 1e-5, 0.0001, 1e16, 123.456, 2 ** 53 + 2, -1e300])).toBe(
      "[0, 0, 1e-05, 0.0001, 1e+16, 123.456, 9007199254740994.0, -1e+300]",
    );
  });

  it("writes empty containers and uses toJSON like JSON.stringify", async () => {
    expect(await text({ a: {}, b: [], when: new Date(Date.UTC(2021, 5, 1)) })).toBe(
      '{"a": {}, "b": [], "when": "2021-06-01T00:00:00.000Z"}',
    );
  });

  it.each([
    ["a bigint", { values: [1, 2, 3n] }, "Cannot write a bigint as JSON at values[2]"],
    ["NaN", { stats: { mean: Number.NaN } }, "Cannot write NaN as JSON at stats.mean"],
    ["Infinity", [Number.POSITIVE_INFINITY], "Cannot write Infinity as JSON at [0]"],
    ["undefined", { a: { "odd key": undefined } }, 'Cannot write undefined as JSON at a["odd key"]'],
    ["a function", { f: () => 1 }, "Cannot write a function as JSON at f"],
    ["a Map", { m: new Map() }, "Cannot write a Map as JSON at m"],
    ["a top-level symbol", Symbol("s"), "Cannot write a symbol as JSON at (top)"],
  ])("refuses %s, naming its path", async (_what, object, message) => {
    const error = await rejection(jsonFormatter.write(object));
    expect(error.code).toBe("FormatterError");
    expect(error.message).toBe(message);
    expect(error.hint).toBeTruthy();
  });

  it("refuses a cycle, naming where it closes", async () => {
    const node: Record<string, unknown> = { name: "a", children: [] };
    (node.children as unknown[]).push({ parent: node });
    const error = await rejection(jsonFormatter.write(node));
    expect(error.message).toBe("Cannot write a circular reference as JSON at children[0].parent");
  });

  it("writes a shared (non-circular) object twice", async () => {
    const shared = { x: 1 };
    expect(await text({ a: shared, b: shared })).toBe('{"a": {"x": 1}, "b": {"x": 1}}');
  });

  it("refuses write parameters it does not have", async () => {
    const error = await rejection(jsonFormatter.write({}, { parameters: { indent: 2 } }));
    expect(error.message).toBe('Formatter "json" has no write parameter "indent"');
  });
});

describe("jsonFormatter.read", () => {
  it.each([
    ["nested", { a: { b: [1, { c: [true, null, "x"] }] } }],
    ["unicode", { ключ: "値 😀 \u2028 e\u0301" }],
    ["empty object", {}],
    ["empty array", []],
    ["empty string", ""],
    ["a number at the top", 42.5],
    ["null", null],
    ["a __proto__ key", JSON.parse('{"__proto__": {"polluted": true}}')],
  ])("round-trips %s", async (_what, object) => {
    expect(await roundTrip(object)).toStrictEqual(object);
  });

  it("reads the NaN and Infinity Python's json.dumps writes", async () => {
    expect(
      await jsonFormatter.read(source('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN"}')),
    ).toStrictEqual({
      a: Number.NaN,
      b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      c: "NaN",
    });
  });

  it("skips a UTF-8 byte order mark", async () => {
    expect(await jsonFormatter.read(source("\uFEFF[1]"))).toStrictEqual([1]);
  });

  it("reports truncated JSON with the byte offset, line and column", async () => {
    const error = await rejection(jsonFormatter.read(source('{"é": [1, 2'), undefined, "u/run/x.json"));
    expect(error.code).toBe("FormatterError");
    expect(error.offset).toBe(12);
    expect(error.file).toBe("u/run/x.json");
    expect(error.message).toBe(
      "Cannot read JSON: unexpected end of the text (expected ',' or ']' after an array item) (line 1, column 12) (u/run/x.json at byte 12)",
    );
  });

  it.each([
    ['{"a": 1,}', "expected a property name in double quotes", 8],
    ["[1, 2,]", "expected a value", 6],
    ['{"a" 1}', "expected ':' after a property name", 5],
    ["[1]\n x", "extra data after the JSON value", 5],
    ['"\\q"', 'invalid escape "\\q"', 1],
    ['"a\tb"', "control character in a string (escape it, e.g. \\n)", 2],
    ['\uFEFF{"a": nope}', "expected a value", 9],
  ])("says where %j is wrong", async (input, reason, offset) => {
    const error = await rejection(jsonFormatter.read(source(input)));
    expect(error.message).toContain(`Cannot read JSON: ${reason}`);
    expect(error.offset).toBe(offset);
  });

  it("reports invalid UTF-8 with its offset", async () => {
    const error = await rejection(
      jsonFormatter.read(source(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]))),
    );
    expect(error.offset).toBe(2);
    expect(error.message).toBe("Cannot read JSON: invalid UTF-8 at byte offset 2 (byte 0xC3)");
  });
});
