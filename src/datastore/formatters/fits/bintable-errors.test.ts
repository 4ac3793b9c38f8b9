import { describe, expect, it } from "vitest";
import { thrown } from "../../../../test/support/caught.ts";
import { FormatterError } from "../../../errors.ts";
import { readBinaryTable } from "./bintable-read.ts";
import { encodeBinaryTable } from "./bintable-write.ts";
import type { FitsValue } from "./fits-types.ts";

const location = { file: "t.fits", offset: 5760 };

function header(cards: Record<string, FitsValue>) {
  const all: Record<string, FitsValue> = {
    XTENSION: "BINTABLE",
    BITPIX: 8,
    NAXIS: 2,
    PCOUNT: 0,
    GCOUNT: 1,
    TFIELDS: 1,
    ...cards,
  };
  return { get: (key: string) => all[key] };
}

function readError(cards: Record<string, FitsValue>, data: Uint8Array) {
  const error = thrown(() => readBinaryTable(header(cards), data, location)) as FormatterError;
  expect(error).toBeInstanceOf(FormatterError);
  expect(error.code).toBe("FormatterError");
  expect(error.file).toBe("t.fits");
  return error;
}

describe("readBinaryTable() errors", () => {
  it("names a malformed TFORM", () => {
    const error = readError({ NAXIS1: 4, NAXIS2: 1, TFORM1: "2Z" }, new Uint8Array(4));
    expect(error.message).toBe('Invalid binary table format TFORM1 = "2Z" (t.fits at byte 5760)');
    expect(error.offset).toBe(5760);
  });

  it("reports NAXIS1 disagreeing with the TFORM widths", () => {
    const error = readError({ NAXIS1: 6, NAXIS2: 1, TFORM1: "2J" }, new Uint8Array(6));
    expect(error.message).toBe(
      "Binary table NAXIS1 = 6 disagrees with its 1 TFORM widths, which add up to 8 bytes (t.fits at byte 5760)",
    );
  });

  it("reports data shorter than the header declares, at the byte where it ends", () => {
    const error = readError({ NAXIS1: 8, NAXIS2: 3, TFORM1: "D" }, new Uint8Array(20));
    expect(error.message).toBe(
      "Binary table data is 20 bytes, shorter than the 24 its header declares (NAXIS1 * NAXIS2 + PCOUNT = 8 * 3 + 0) (t.fits at byte 5780)",
    );
    expect(error.hint).toBe("The file is truncated.");
  });

  it("reports a heap descriptor pointing outside the heap, at the descriptor", () => {
    const data = new Uint8Array(24);
    const view = new DataView(data.buffer);
    view.setUint32(0, 1);
    view.setUint32(4, 0);
    view.setUint32(8, 2);
    view.setUint32(12, 4);
    const error = readError({ NAXIS1: 8, NAXIS2: 2, PCOUNT: 8, TTYPE1: "flux", TFORM1: "1PJ(2)" }, data);
    expect(error.message).toBe(
      'Binary table column "flux" row 2: heap descriptor (2 elements at heap offset 4) points outside the 8-byte heap (t.fits at byte 5768)',
    );
    expect(error.offset).toBe(5768);
  });
});

describe("encodeBinaryTable() errors", () => {
  it("refuses variable-length columns", () => {
    const error = thrown(() =>
      encodeBinaryTable({
        rows: 1,
        columns: [{ name: "v", format: "PJ()", cell: "array", values: [new Int32Array(2)] }],
      }),
    );
    expect(error).toBeInstanceOf(FormatterError);
    expect(error.message).toBe('Cannot write column "v": variable-length (PJ()) columns are not supported');
  });

  it("refuses a value outside the stored type's range", () => {
    const error = thrown(() =>
      encodeBinaryTable({
        rows: 2,
        columns: [{ name: "n", format: "I", cell: "scalar", values: new Int32Array([1, 40000]) }],
      }),
    );
    expect(error).toBeInstanceOf(FormatterError);
    expect(error.message).toBe(
      'Cannot write column "n" (TFORM I) row 2: 40000 is outside the stored range [-32768, 32767]',
    );
  });

  it("refuses a wrong row count and a too long string", () => {
    expect(
      thrown(() =>
        encodeBinaryTable({
          rows: 3,
          columns: [{ name: "x", format: "E", cell: "scalar", values: new Float32Array(2) }],
        }),
      ).message,
    ).toBe('Cannot write column "x": it has 2 values for 3 rows');
    expect(
      thrown(() =>
        encodeBinaryTable({
          rows: 1,
          columns: [{ name: "s", format: "3A", cell: "scalar", values: ["abcd"] }],
        }),
      ).message,
    ).toBe('Cannot write column "s" (TFORM 3A) row 1: "abcd" is not printable ASCII of at most 3 characters');
  });

  it("writes the standard header cards in order", () => {
    const { cards, data } = encodeBinaryTable({
      rows: 2,
      columns: [
        {
          name: "id",
          format: "J",
          cell: "scalar",
          values: new Int32Array([1, -2]),
          unit: "count",
          nullValue: -1,
        },
        {
          name: "m",
          format: "4E",
          cell: "array",
          dims: [2, 2],
          values: [new Float32Array(4), new Float32Array(4)],
        },
      ],
    });
    expect(cards.map((card) => [card.key, card.value])).toEqual([
      ["XTENSION", "BINTABLE"],
      ["BITPIX", 8],
      ["NAXIS", 2],
      ["NAXIS1", 20],
      ["NAXIS2", 2],
      ["PCOUNT", 0],
      ["GCOUNT", 1],
      ["TFIELDS", 2],
      ["TTYPE1", "id"],
      ["TFORM1", "J"],
      ["TUNIT1", "count"],
      ["TNULL1", -1],
      ["TTYPE2", "m"],
      ["TFORM2", "4E"],
      ["TDIM2", "(2,2)"],
    ]);
    expect(Array.from(data.subarray(0, 4))).toEqual([0, 0, 0, 1]);
  });
});
