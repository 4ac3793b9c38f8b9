import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { expect, it } from "vitest";
import { rejection, thrown } from "../../../../../test/support/caught.ts";
import { type AstropyHdu, headerOf, once, PY_HELPERS } from "../../../../../test/support/fits-astropy.ts";
import { PROPERTY_OPTIONS } from "../../../../../test/support/property.ts";
import { describeWithPython, runPython } from "../../../../../test/support/python.ts";
import { ArgumentError, FormatterError } from "../../../../errors.ts";
import type { FitsCard } from "../fits-types.ts";
import { decompressImage } from "./decompress-image.ts";
import { decompressImageRegion } from "./decompress-region.ts";

const WRITE = `${PY_HELPERS}
from astropy.io import fits
path = json.load(sys.stdin)["path"]
rng = np.random.default_rng(5)
images = [
    fits.CompImageHDU(rng.integers(-2**31, 2**31, (20, 37), dtype=np.int64).astype(np.int32), compression_type="RICE_1", tile_size=[37, 4]),
    fits.CompImageHDU(rng.normal(0, 50, (20, 37)).astype(np.int16), compression_type="GZIP_1", tile_size=[37, 4]),
]
fits.HDUList([fits.PrimaryHDU(), *images]).writeto(path)
with fits.open(path, disable_image_compression=True) as raw:
    print(json.dumps([{"path": path, "cards": cards(raw[i].header), "datLoc": raw.fileinfo(i)["datLoc"],
        "size": raw[i].header["NAXIS1"] * raw[i].header["NAXIS2"] + raw[i].header["PCOUNT"]} for i in (1, 2)]))
`;

/** The heap offset (from the start of the data) of tile `row`'s COMPRESSED_DATA, the first column. */
function tileStart(data: Uint8Array, rowBytes: number, rows: number, row: number): number {
  return rowBytes * rows + new DataView(data.buffer, data.byteOffset).getUint32(row * rowBytes + 4);
}

describeWithPython("astropy", "decompressImage() of corrupt tiles", (interpreter) => {
  const fixture = once(() => {
    const path = join(mkdtempSync(join(tmpdir(), "corrupt-")), "corrupt.fits");
    const [rice, gzip] = runPython<[AstropyHdu, AstropyHdu]>(interpreter, WRITE, { path });
    return { rice, gzip, file: new Uint8Array(readFileSync(path)) };
  });
  const copy = (hdu: AstropyHdu) => fixture().file.slice(hdu.datLoc, hdu.datLoc + hdu.size);
  const rowBytes = 8;

  function failure(
    hdu: AstropyHdu,
    data: Uint8Array,
    cards: readonly FitsCard[] = headerOf(hdu.cards).cards,
  ) {
    const error = thrown(() =>
      decompressImage(cards, data, { file: "c.fits", offset: hdu.datLoc }),
    ) as FormatterError;
    expect(error).toBeInstanceOf(FormatterError);
    expect(error.code).toBe("FormatterError");
    return error;
  }

  it("names the tile and its byte offset when a RICE_1 stream is cut short", () => {
    const hdu = fixture().rice;
    const data = copy(hdu);
    new DataView(data.buffer).setUint32(2 * rowBytes, 5);
    const error = failure(hdu, data);
    const offset = hdu.datLoc + tileStart(data, rowBytes, 5, 2);
    expect(error.message).toBe(
      `Cannot decompress tile 3 of 5 (RICE_1): the 5-byte stream ends early (c.fits at byte ${offset})`,
    );
    expect(error.offset).toBe(offset);
    expect(error.hint).toBe("The file is corrupt or truncated.");
  });

  it("names the tile and its byte offset for bad or truncated gzip data", () => {
    const hdu = fixture().gzip;
    const bad = copy(hdu);
    bad.fill(0x55, tileStart(bad, rowBytes, 5, 1), tileStart(bad, rowBytes, 5, 1) + 4);
    const offset = hdu.datLoc + tileStart(bad, rowBytes, 5, 1);
    expect(failure(hdu, bad).message).toBe(
      `Cannot decompress tile 2 of 5 (GZIP_1): gzip data is invalid (incorrect header check) (c.fits at byte ${offset})`,
    );
    const cut = copy(hdu);
    new DataView(cut.buffer).setUint32(3 * rowBytes, 30);
    expect(failure(hdu, cut).message).toMatch(
      /^Cannot decompress tile 4 of 5 \(GZIP_1\): gzip data is invalid \(unexpected end of file\)/,
    );
  });

  it("fails with FormatterError, never hangs, on random damage to RICE_1 tiles", () => {
    const hdu = fixture().rice;
    const heap = 5 * rowBytes;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (damage) => {
          const data = copy(hdu);
          for (const [at, byte] of damage) data[heap + (at % (data.length - heap))] = byte;
          try {
            decompressImage(headerOf(hdu.cards), data);
          } catch (error) {
            expect(error).toBeInstanceOf(FormatterError);
          }
        },
      ),
      { ...PROPERTY_OPTIONS, numRuns: 200 },
    );
  });

  it("explains an algorithm it does not decode", () => {
    const hdu = fixture().gzip;
    const cards = headerOf(hdu.cards).cards.map((card) =>
      card.key === "ZCMPTYPE" ? { key: card.key, value: "HCOMPRESS_1" } : card,
    );
    const error = failure(hdu, copy(hdu), cards);
    expect(error.message).toBe(`Cannot decompress ZCMPTYPE = "HCOMPRESS_1" (c.fits at byte ${hdu.datLoc})`);
    expect(error.hint).toBe(
      "butler-ts decodes RICE_1, GZIP_1, GZIP_2 and NOCOMPRESS tiles; HCOMPRESS_1 and PLIO_1 are not supported.",
    );
  });

  it("decompressImageRegion() refuses a box outside the image", async () => {
    const hdu = fixture().gzip;
    const data = copy(hdu);
    const error = await rejection(
      decompressImageRegion(headerOf(hdu.cards), (offset, length) => data.subarray(offset, offset + length), {
        start: [30, 0],
        shape: [10, 5],
      }),
      ArgumentError,
    );
    expect(error.code).toBe("ArgumentError");
    expect(error.message).toBe(
      "Pixel box start [30, 0] shape [10, 5] is not inside the image of shape [37, 20]",
    );
  });
});
