import { describe, expect, it } from "vitest";
import { byteSource } from "../../../test/support/byte-source.ts";
import { rejection as rejectionOf } from "../../../test/support/caught.ts";
import { FormatterError } from "../../errors.ts";
import { textFormatter } from "./text-formatter.ts";

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, FormatterError);

const source = byteSource;

describe("textFormatter", () => {
  it.each([
    ["ASCII", "hello\nworld\n"],
    ["unicode", "naïve ☃ — 😀 e\u0301 \u2028"],
    ["empty", ""],
    ["a byte order mark, kept", "\uFEFFbom"],
    ["CRLF line ends, kept", "a\r\nb\r\n"],
  ])("round-trips %s exactly", async (_what, value) => {
    const bytes = await textFormatter.write(value);
    expect(bytes).toStrictEqual(new TextEncoder().encode(value));
    expect(await textFormatter.read(source(bytes))).toBe(value);
  });

  it("refuses what is not a string", async () => {
    const error = await rejection(textFormatter.write({ a: 1 }));
    expect(error.code).toBe("FormatterError");
    expect(error.message).toBe("Cannot write a plain object as text: the text formatter writes strings");
  });

  it("refuses a lone surrogate, which UTF-8 cannot encode", async () => {
    const error = await rejection(textFormatter.write("ab\uD83D"));
    expect(error.message).toBe("Cannot write text: a lone surrogate (\\uD83D) at index 2 has no UTF-8 form");
  });

  it.each([
    ["a stray continuation byte", [0x61, 0x80, 0x62], 1],
    ["a truncated sequence", [0x61, 0x62, 0xe2, 0x82], 2],
    ["an overlong encoding", [0xc0, 0xaf], 0],
    ["an encoded surrogate", [0x61, 0xed, 0xa0, 0x80], 1],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["a bad byte after valid multi-byte characters", [0xc3, 0xa9, 0xe2, 0x98, 0x83, 0xff], 5],
  ])("reports invalid UTF-8 (%s) at its byte offset", async (_what, bytes, offset) => {
    const error = await rejection(textFormatter.read(source(new Uint8Array(bytes)), undefined, "notes.txt"));
    expect(error.offset).toBe(offset);
    expect(error.file).toBe("notes.txt");
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot read text: invalid UTF-8 at byte offset ${offset} \\(byte 0x[0-9A-F]{2}\\) \\(notes\\.txt at byte ${offset}\\)$`,
      ),
    );
  });
});
