import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byteSource } from "../../../../test/support/byte-source.ts";
import { rejection } from "../../../../test/support/caught.ts";
import { PROPERTY_OPTIONS } from "../../../../test/support/property.ts";
import {
  makeNumericArray,
  NUMERIC_TYPES,
  type NumericArray,
  type NumericType,
} from "../../../arrays/numeric-array.ts";
import { FormatterError } from "../../../errors.ts";
import type { ByteSource } from "../formatter.ts";
import { BLOCK_SIZE, FitsHeader } from "./fits-header.ts";
import { openFitsReader } from "./fits-reader.ts";
import { writeFits } from "./fits-writer.ts";

/** A byte source that counts the bytes read through it. */
function countingSource(bytes: Uint8Array): ByteSource & { bytesRead: number; reads: number } {
  const source = {
    bytesRead: 0,
    reads: 0,
    size: async () => bytes.length,
    read: async (start: number, end: number) => {
      source.bytesRead += Math.min(end, bytes.length) - start;
      source.reads += 1;
      return bytes.slice(start, end);
    },
    readAll: async () => {
      source.bytesRead += bytes.length;
      return bytes;
    },
  };
  return source;
}

const EXTREMES: Record<NumericType, readonly (number | bigint)[]> = {
  uint8: [0, 1, 255],
  int8: [-128, 0, 127],
  int16: [-32768, 0, 32767],
  uint16: [0, 32768, 65535],
  int32: [-2147483648, 0, 2147483647],
  uint32: [0, 2147483648, 4294967295],
  int64: [-(2n ** 63n), 0n, 2n ** 63n - 1n],
  uint64: [0n, 2n ** 63n, 2n ** 64n - 1n],
  float32: [-3.4e38, 1.5, Number.NaN],
  float64: [-Number.MAX_VALUE, Math.PI, Number.POSITIVE_INFINITY],
};

const EXPECTED_ENCODING: Record<NumericType, [number, number | bigint | undefined]> = {
  uint8: [8, undefined],
  int8: [8, -128],
  int16: [16, undefined],
  uint16: [16, 32768],
  int32: [32, undefined],
  uint32: [32, 2147483648],
  int64: [64, undefined],
  uint64: [64, 9223372036854775808n],
  float32: [-32, undefined],
  float64: [-64, undefined],
};

function pixels(type: NumericType): NumericArray {
  const values = EXTREMES[type];
  const array = makeNumericArray(type, 6);
  for (let i = 0; i < 6; i += 1)
    (array as unknown as (number | bigint)[])[i] = values[i % 3] as number | bigint;
  return array;
}

describe("FITS images", () => {
  for (const type of Object.keys(EXTREMES) as NumericType[]) {
    it(`round-trips ${type} pixels with BITPIX ${EXPECTED_ENCODING[type][0]} and BZERO ${EXPECTED_ENCODING[type][1] ?? "none"}`, async () => {
      const array = pixels(type);
      const reader = await openFitsReader(byteSource(writeFits([{ pixels: { array, shape: [3, 2] } }])));
      const hdu = reader.hdus[0];
      expect(hdu?.header.get("BITPIX")).toBe(EXPECTED_ENCODING[type][0]);
      expect(hdu?.header.get("BZERO")).toBe(EXPECTED_ENCODING[type][1]);
      expect(hdu?.shape).toEqual([3, 2]);
      expect(await reader.readPixels(hdu as never)).toEqual(array);
    });
  }

  it("applies BSCALE/BZERO and BLANK to give physical float values", async () => {
    const header = new FitsHeader([
      { key: "SIMPLE", value: true },
      { key: "BITPIX", value: 16 },
      { key: "NAXIS", value: 1 },
      { key: "NAXIS1", value: 3 },
      { key: "BSCALE", value: 0.5 },
      { key: "BZERO", value: 100 },
      { key: "BLANK", value: -1 },
    ]).toBytes();
    const data = new Uint8Array(BLOCK_SIZE);
    data.set([0, 0, 0, 10, 0xff, 0xff]);
    const reader = await openFitsReader(byteSource(new Uint8Array([...header, ...data])));
    expect(await reader.readPixels(reader.hdus[0] as never)).toEqual(
      new Float32Array([100, 105, Number.NaN]),
    );
  });

  it("lists the HDUs of a multi-extension file from their headers", async () => {
    const bytes = writeFits([
      { cards: [{ key: "OBJECT", value: "primary" }] },
      { pixels: { array: new Float32Array(12), shape: [4, 3] }, cards: [{ key: "EXTNAME", value: "SCI" }] },
      { pixels: { array: new Int32Array(2), shape: [2] }, cards: [{ key: "EXTNAME", value: "DQ" }] },
    ]);
    const source = countingSource(bytes);
    const reader = await openFitsReader(source, "mef.fits");
    expect(reader.hdus.map((h) => [h.index, h.kind, h.name, h.shape, h.dataOffset, h.dataSize])).toEqual([
      [0, "image", undefined, [], BLOCK_SIZE, 0],
      [1, "image", "SCI", [4, 3], 2 * BLOCK_SIZE, 48],
      [2, "image", "DQ", [2], 4 * BLOCK_SIZE, 8],
    ]);
    expect(reader.find("dq")?.index).toBe(2);
    expect(source.bytesRead).toBe(3 * BLOCK_SIZE);
  });

  it("reads a 100x100 cutout of a 4096x4096 float32 image touching under 1% of the file", async () => {
    const size = 4096;
    const array = new Float32Array(size * size);
    for (let i = 0; i < array.length; i += 1) array[i] = i % 100_003;
    const bytes = writeFits([{ pixels: { array, shape: [size, size] } }]);
    const source = countingSource(bytes);
    const reader = await openFitsReader(source);
    const cut = await reader.readPixels(reader.hdus[0] as never, { x0: 1000, y0: 2000, x1: 1099, y1: 2099 });
    expect(cut.length).toBe(10_000);
    expect(cut[0]).toBe((2000 * size + 1000) % 100_003);
    expect(cut[9_999]).toBe((2099 * size + 1099) % 100_003);
    expect(source.bytesRead).toBeLessThan(bytes.length / 100);
    expect(source.bytesRead).toBeLessThan(100 * 400 + 2 * BLOCK_SIZE);
  });

  it("reads full-width rows in one range", async () => {
    const bytes = writeFits([{ pixels: { array: new Int16Array(64 * 64), shape: [64, 64] } }]);
    const source = countingSource(bytes);
    const reader = await openFitsReader(source);
    const before = source.reads;
    await reader.readPixels(reader.hdus[0] as never, { x0: 0, y0: 10, x1: 63, y1: 19 });
    expect(source.reads - before).toBe(1);
  });

  it("hands over the data of table HDUs with their offset", async () => {
    const primary = writeFits([{}]);
    const table = [
      "XTENSION= 'BINTABLE'",
      "BITPIX  =                    8",
      "NAXIS   =                    2",
      "NAXIS1  =                    4",
      "NAXIS2  =                    2",
      "PCOUNT  =                   10",
      "GCOUNT  =                    1",
      "TFIELDS =                    1",
      "TFORM1  = 'J       '",
      "END",
    ]
      .map((c) => c.padEnd(80))
      .join("")
      .padEnd(BLOCK_SIZE);
    const data = new Uint8Array(BLOCK_SIZE);
    data.set([0, 0, 0, 1, 0, 0, 0, 2]);
    const bytes = new Uint8Array([...primary, ...new TextEncoder().encode(table), ...data]);
    const reader = await openFitsReader(byteSource(bytes));
    const hdu = reader.hdus[1];
    expect([hdu?.kind, hdu?.dataOffset, hdu?.dataSize]).toEqual(["bintable", 2 * BLOCK_SIZE, 18]);
    expect((await reader.readData(hdu as never)).subarray(0, 8)).toEqual(
      new Uint8Array([0, 0, 0, 1, 0, 0, 0, 2]),
    );
    expect(await reader.readDataRange(hdu as never, 4, 4)).toEqual(new Uint8Array([0, 0, 0, 2]));
    await expect(reader.readDataRange(hdu as never, 10, 9)).rejects.toThrow(
      "Cannot read bytes 10 to 19 of FITS HDU 1, which holds 18",
    );
    await expect(reader.readPixels(hdu as never)).rejects.toThrow(
      "FITS HDU 1 holds a bintable, not an image",
    );
  });
});

describe("FITS section reads (property)", () => {
  it("give the same pixels as cutting the whole image, for any type, shape and rectangle", async () => {
    const cases = fc.record({
      type: fc.constantFrom(...NUMERIC_TYPES),
      width: fc.integer({ min: 1, max: 40 }),
      height: fc.integer({ min: 1, max: 30 }),
      corners: fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()),
      seed: fc.integer(),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ type, width, height, corners, seed }) => {
        const array = makeNumericArray(type, width * height);
        const bytes = new Uint8Array(array.buffer);
        for (let i = 0; i < bytes.length; i += 1) bytes[i] = (seed + i * 2654435761) >>> 24;
        const reader = await openFitsReader(
          byteSource(writeFits([{ pixels: { array, shape: [width, height] } }])),
        );
        const hdu = reader.hdus[0] as never;
        const [a, b, c, d] = corners;
        const span = {
          x0: Math.min(a % width, c % width),
          x1: Math.max(a % width, c % width),
          y0: Math.min(b % height, d % height),
          y1: Math.max(b % height, d % height),
        };
        const whole = await reader.readPixels(hdu);
        const cut = await reader.readPixels(hdu, span);
        const expected: unknown[] = [];
        for (let y = span.y0; y <= span.y1; y += 1) {
          for (let x = span.x0; x <= span.x1; x += 1) expected.push(whole[y * width + x]);
        }
        expect(Array.from(cut as ArrayLike<unknown>)).toEqual(expected);
        expect(whole).toEqual(array);
      }),
      PROPERTY_OPTIONS,
    );
  });
});

describe("openFitsReader() errors", () => {
  const good = () => writeFits([{ pixels: { array: new Float32Array(1000), shape: [100, 10] } }]);
  const patch = (bytes: Uint8Array, at: number, text: string) => {
    const copy = new Uint8Array(bytes);
    copy.set(new TextEncoder().encode(text), at);
    return copy;
  };

  async function failure(bytes: Uint8Array): Promise<FormatterError> {
    const error = await rejection(openFitsReader(byteSource(bytes), "bad.fits"), FormatterError);
    expect(error.code).toBe("FormatterError");
    expect(error.file).toBe("bad.fits");
    return error;
  }

  it("refuses a file that does not start with SIMPLE", async () => {
    expect((await failure(new TextEncoder().encode("PK\x03\x04 zip file".padEnd(3000)))).message).toBe(
      "Not a FITS file: it does not start with SIMPLE (bad.fits at byte 0)",
    );
    expect((await failure(new Uint8Array())).message).toBe(
      "Not a FITS file: it is empty (bad.fits at byte 0)",
    );
  });

  it("refuses a truncated file, in the header or in the data", async () => {
    const bytes = good();
    expect((await failure(bytes.subarray(0, 400))).message).toBe(
      "FITS header has no END card (bad.fits at byte 400)",
    );
    expect((await failure(bytes.subarray(0, BLOCK_SIZE + 100))).message).toBe(
      "FITS HDU 0 declares 4000 bytes of data; the file holds 100 (bad.fits at byte 2880)",
    );
  });

  it("refuses an extension cut short, and ignores bytes after the last HDU", async () => {
    const mef = writeFits([{}, { pixels: { array: new Int16Array(4), shape: [2, 2] } }]);
    expect((await failure(mef.subarray(0, BLOCK_SIZE + 500))).message).toBe(
      "FITS header has no END card (bad.fits at byte 3380)",
    );
    const trailing = new Uint8Array([...mef, ...new Uint8Array(100)]);
    expect((await openFitsReader(byteSource(trailing))).hdus).toHaveLength(2);
  });

  it("refuses a header without END", async () => {
    const bytes = patch(good(), 6 * 80, "NOTEND  ");
    expect((await failure(bytes)).message).toBe(
      "FITS header has no END card before binary data (bad.fits at byte 2880)",
    );
  });

  it("refuses invalid BITPIX, NAXIS and NAXISn values and misplaced keywords", async () => {
    const bytes = good();
    expect((await failure(patch(bytes, 80, "BITPIX  =                   12"))).message).toBe(
      "Invalid BITPIX 12 in FITS header (bad.fits at byte 0)",
    );
    expect((await failure(patch(bytes, 160, "NAXIS   =                   -1"))).message).toBe(
      "Invalid NAXIS -1 in FITS header: must be an integer from 0 to 999 (bad.fits at byte 0)",
    );
    expect((await failure(patch(bytes, 160, "NAXIS   =                    3"))).message).toBe(
      "FITS header has EXTEND where NAXIS3 must be (card 6) (bad.fits at byte 0)",
    );
    expect((await failure(patch(bytes, 240, "NAXIS1  =                  1.5"))).message).toBe(
      "Invalid NAXIS1 1.5 in FITS header (bad.fits at byte 0)",
    );
    expect((await failure(patch(bytes, 80, "NAXIS   =                    2"))).message).toBe(
      "FITS header has NAXIS where BITPIX must be (card 2) (bad.fits at byte 0)",
    );
  });

  it("refuses non-ASCII bytes in a header, naming their offset", async () => {
    const bytes = good();
    bytes[300] = 0xff;
    expect((await failure(bytes)).message).toBe(
      "FITS header holds byte 0xff, which is not printable ASCII (bad.fits at byte 300)",
    );
  });

  it("refuses a cutout outside the image", async () => {
    const reader = await openFitsReader(byteSource(good()), "bad.fits");
    const error = await rejection(
      reader.readPixels(reader.hdus[0] as never, { x0: 90, y0: 0, x1: 100, y1: 0 }),
      FormatterError,
    );
    expect(error.message).toBe(
      "Cannot read pixels [90:100, 0:0] of FITS HDU 0 of shape 100x10 (bad.fits at byte 0)",
    );
  });
});
