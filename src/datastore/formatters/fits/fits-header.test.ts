import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../../../test/support/property.ts";
import { FormatterError } from "../../../errors.ts";
import { formatCard, formatReal, type HeaderCard, parseCardImage } from "./fits-card.ts";
import { BLOCK_SIZE, FitsHeader } from "./fits-header.ts";

const card = (text: string) => text.padEnd(80);
const headerBytes = (...cards: string[]) =>
  new TextEncoder().encode([...cards, "END"].map(card).join("").padEnd(BLOCK_SIZE));

describe("parseCardImage()", () => {
  it("reads fixed-format values: strings, logicals, integers, reals, complex", () => {
    expect(parseCardImage(card("OBJECT  = 'M31 ''core''  ' / target"))).toEqual({
      key: "OBJECT",
      value: "M31 'core'",
      comment: "target",
    });
    expect(parseCardImage(card("SIMPLE  =                    T"))).toEqual({ key: "SIMPLE", value: true });
    expect(parseCardImage(card("NAXIS1  =                 4096 / width")).value).toBe(4096);
    expect(parseCardImage(card("BZERO   =  9223372036854775808")).value).toBe(9223372036854775808n);
    expect(parseCardImage(card("EXPTIME =             1.5D+02")).value).toBe(150);
    expect(parseCardImage(card("EXPTIME =                 -.5E-3")).value).toBe(-0.0005);
    expect(parseCardImage(card("EXPTIME =                 30.0")).real).toBe(true);
    expect(parseCardImage(card("CPLX    = (1.0, 2.5)")).value).toBe("(1.0, 2.5)");
    expect(parseCardImage(card("UNDEF   =                      / nothing"))).toEqual({
      key: "UNDEF",
      value: null,
      comment: "nothing",
    });
  });

  it("reads commentary, HIERARCH and CONTINUE cards", () => {
    expect(parseCardImage(card("COMMENT   some = text / here"))).toEqual({
      key: "COMMENT",
      comment: "  some = text / here",
    });
    expect(parseCardImage(card("HISTORY done"))).toEqual({ key: "HISTORY", comment: "done" });
    expect(parseCardImage(card("HIERARCH ESO DET CHIP NAME = 'CCD-1' / chip"))).toEqual({
      key: "ESO DET CHIP NAME",
      value: "CCD-1",
      comment: "chip",
    });
    expect(parseCardImage(card("CONTINUE  'more&' / c")).continued).toBe("more&");
  });

  it("refuses unreadable values with the offset of the card", () => {
    const bad = () => parseCardImage(card("BAD     = 12abc"), { file: "x.fits", offset: 160 });
    expect(bad).toThrow(FormatterError);
    expect(bad).toThrow('Cannot read the value "12abc" of a header card (x.fits at byte 160)');
    expect(() => parseCardImage(card("BAD     = 'open"))).toThrow("Unterminated string value");
  });
});

describe("formatCard()", () => {
  it("right-justifies numbers and logicals in columns 11-30", () => {
    expect(formatCard({ key: "NAXIS", value: 2, comment: "axes" })).toEqual([
      card("NAXIS   =                    2 / axes"),
    ]);
    expect(formatCard({ key: "SIMPLE", value: true })).toEqual([card("SIMPLE  =                    T")]);
    expect(formatCard({ key: "BIG", value: -12345678901234567890n })).toEqual([
      card("BIG     = -12345678901234567890"),
    ]);
    expect(formatCard({ key: "ONE", value: 1, real: true })).toEqual([
      card("ONE     =                  1.0"),
    ]);
  });

  it("writes reals that read back as the same number", () => {
    expect(formatReal(1e-6)).toBe("1.0E-06");
    expect(formatReal(0.1)).toBe("0.1");
    expect(formatReal(1e300)).toBe("1.0E+300");
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const [text] = formatCard({ key: "X", value, real: true });
        expect(Object.is(parseCardImage(text as string).value, value === 0 ? 0 : value) || value === 0).toBe(
          true,
        );
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("pads short strings to 8 characters and escapes quotes", () => {
    expect(formatCard({ key: "XTENSION", value: "IMAGE" })).toEqual([card("XTENSION= 'IMAGE   '")]);
    expect(formatCard({ key: "Q", value: "it's" })).toEqual([card("Q       = 'it''s   '")]);
  });

  it("writes long strings as CONTINUE cards and long keys as HIERARCH", () => {
    const lines = formatCard({ key: "LONG", value: "abc".repeat(40), comment: "long" });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^LONG {4}= 'a.*&'$/);
    expect(lines[1]).toMatch(/^CONTINUE {2}'.*' \/ long\s*$/);
    expect(formatCard({ key: "ESO DET CHIP", value: 3 })).toEqual([card("HIERARCH ESO DET CHIP = 3")]);
  });

  it("refuses values FITS cannot hold", () => {
    expect(() => formatCard({ key: "X", value: Number.NaN })).toThrow(
      'Cannot write NaN as the value of FITS keyword "X"',
    );
    expect(() => formatCard({ key: "X", value: "café" })).toThrow(
      'Cannot write the value of "X" in a FITS header: character "é" at index 3 is not printable ASCII',
    );
    expect(() => formatCard({ key: "A=B", value: 1 })).toThrow('Cannot write FITS keyword "A=B"');
    const long = `K ${"X".repeat(70)}`;
    expect(() => formatCard({ key: long, value: 12345 })).toThrow(
      `Cannot write FITS keyword "${long}": its card would be longer than 80 characters`,
    );
    expect(() => formatCard({ key: long, value: "text" })).toThrow(
      "its card would be longer than 80 characters",
    );
  });
});

describe("FitsHeader", () => {
  it("joins CONTINUE cards into one long string", () => {
    const bytes = headerBytes(
      "LONG    = 'first part &' / one",
      "CONTINUE  'second&'",
      "CONTINUE  ' third' / two",
    );
    const { header, length } = FitsHeader.parse(bytes);
    expect(length).toBe(BLOCK_SIZE);
    expect(header.get("LONG")).toBe("first part second third");
    expect(header.card("long")?.comment).toBe("one two");
  });

  it("writes an unmodified header back byte-identical", () => {
    const bytes = headerBytes(
      "SIMPLE  = T",
      "EXPTIME =   30.00 /odd spacing",
      "DATE    = '2020-01-01'",
      "HIERARCH eso lower = 1",
      "LONG    = 'a&'",
      "CONTINUE  'b'",
      "COMMENT hi",
    );
    expect(FitsHeader.parse(bytes).header.toBytes()).toEqual(bytes);
  });

  it("replaces a card, keeping its comment, and drops its old text", () => {
    const { header } = FitsHeader.parse(headerBytes("EXPTIME =   30.00 / seconds"));
    const changed = header.with({ key: "exptime", value: 45 });
    expect(changed.card("EXPTIME")).toEqual({ key: "EXPTIME", value: 45, comment: "seconds", real: true });
    expect(new TextDecoder().decode(changed.toBytes().subarray(0, 80))).toBe(
      card("EXPTIME =                 45.0 / seconds"),
    );
  });

  it("round-trips any cards through bytes (property)", () => {
    const printable = fc.string({ unit: fc.constantFrom(..." abcXYZ09'&/=-_.".split("")), maxLength: 150 });
    const key = fc.oneof(
      fc.stringMatching(/^[A-Z][A-Z0-9_-]{0,7}$/),
      fc.stringMatching(/^[A-Z][A-Z0-9]{1,6} [A-Z0-9.]{1,10}$/),
    );
    const value = fc.oneof(
      printable.map((s) => s.trimEnd()),
      fc.boolean(),
      fc.integer(),
      fc.bigInt({ min: 2n ** 60n, max: 2n ** 63n }),
      fc
        .double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 })
        .filter((d) => !Number.isInteger(d)),
    );
    const cards = fc.array(
      fc.record({
        key,
        value,
        comment: fc.string({ unit: fc.constantFrom(..."abc XYZ".split("")), maxLength: 10 }),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(cards, (input) => {
        const fresh: HeaderCard[] = input.map(
          (c) => ({ ...c, comment: c.comment.trim() || undefined }) as HeaderCard,
        );
        const parsed = FitsHeader.parse(new FitsHeader(fresh).toBytes()).header;
        expect(parsed.toCards()).toEqual(
          fresh.map((c) => ({
            key: c.key,
            value: c.value,
            ...(c.comment === undefined ? {} : { comment: c.comment }),
          })),
        );
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("refuses a header without END and non-ASCII bytes, naming the offset", () => {
    const noEnd = new TextEncoder().encode(card("SIMPLE  = T").padEnd(BLOCK_SIZE));
    const error = (() => {
      try {
        FitsHeader.parse(noEnd, { file: "a.fits", offset: 0 });
      } catch (e) {
        return e as FormatterError;
      }
    })();
    expect(error).toBeInstanceOf(FormatterError);
    expect(error?.code).toBe("FormatterError");
    expect(error?.message).toBe("FITS header has no END card (a.fits at byte 2880)");
    const bytes = headerBytes("OBJECT  = 'x'");
    bytes[15] = 0xe9;
    expect(() => FitsHeader.parse(bytes, { file: "a.fits", offset: 2880 })).toThrow(
      "FITS header holds byte 0xe9, which is not printable ASCII (a.fits at byte 2895)",
    );
  });
});
