import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AstropyHdu,
  bytesOf,
  headerOf,
  once,
  PY_HELPERS,
} from "../../../../../test/support/fits-astropy.ts";
import { describeWithPython, runPython } from "../../../../../test/support/python.ts";
import { decompressImage } from "./decompress-image.ts";
import { ditherRandoms } from "./dither.ts";

/**
 * Builds compressed float images by hand (astropy 5.2.1 cannot write ZBLANK: it turns tiles with NaN
 * into NaN scales): quantized int32 tiles with ZBLANK and ZERO_VALUE pixels, gzipped, plus one tile in
 * UNCOMPRESSED_DATA (first image) or GZIP_COMPRESSED_DATA (second). astropy decompresses them but ignores
 * ZBLANK, so the script also prints where the ZBLANK pixels are. A third image holds 64-bit integers.
 */
const WRITE = `${PY_HELPERS}
import gzip
from astropy.io import fits
path = json.load(sys.stdin)["path"]
rng = np.random.default_rng(3)
nx, ny, tx, ty = 23, 17, 8, 5
gx, gy = -(-nx // tx), -(-ny // ty)
BLANK = -2147483647
hdus, masks = [fits.PrimaryHDU()], []
for variant in ("keyword", "column"):
    mask = np.zeros((ny, nx), dtype=bool)
    tiles = []
    for t in range(gx * gy):
        x0, y0 = (t % gx) * tx, (t // gx) * ty
        w, h = min(tx, nx - x0), min(ty, ny - y0)
        ints = rng.integers(-5000, 5000, w * h).astype(np.int32)
        ints[::7] = BLANK
        ints[3::9] = -2147483646  # SUBTRACTIVE_DITHER_2's exact zero
        mask[y0:y0 + h, x0:x0 + w] = (ints == BLANK).reshape(h, w)
        tiles.append(ints)
    compressed = [np.frombuffer(gzip.compress(x.astype(">i4").tobytes()), dtype=np.uint8) for x in tiles]
    fallback_tile = rng.random(len(tiles[2])).astype(np.float32)
    compressed[2] = np.array([], dtype=np.uint8)
    mask[0:ty, 2 * tx:3 * tx] = False
    cols = [fits.Column(name="COMPRESSED_DATA", format="1PB()", array=compressed)]
    if variant == "keyword":
        plain = [np.array([], dtype=np.float32)] * len(tiles)
        plain[2] = fallback_tile
        cols.append(fits.Column(name="UNCOMPRESSED_DATA", format="1PE()", array=plain))
    else:
        zipped = [np.array([], dtype=np.uint8)] * len(tiles)
        zipped[2] = np.frombuffer(gzip.compress(fallback_tile.astype(">f4").tobytes()), dtype=np.uint8)
        cols.append(fits.Column(name="GZIP_COMPRESSED_DATA", format="1PB()", array=zipped))
        cols.append(fits.Column(name="ZBLANK", format="1J", array=np.full(len(tiles), BLANK, dtype=np.int32)))
    cols += [fits.Column(name="ZSCALE", format="1D", array=rng.random(len(tiles)) * 0.1),
             fits.Column(name="ZZERO", format="1D", array=rng.random(len(tiles)) * 100)]
    hdu = fits.BinTableHDU.from_columns(cols)
    keys = [("ZIMAGE", True), ("ZTENSION", "IMAGE"), ("ZBITPIX", -32), ("ZNAXIS", 2), ("ZNAXIS1", nx),
            ("ZNAXIS2", ny), ("ZPCOUNT", 0), ("ZGCOUNT", 1), ("ZTILE1", tx), ("ZTILE2", ty), ("ZCMPTYPE", "GZIP_1")]
    if variant == "keyword":
        keys += [("ZQUANTIZ", "SUBTRACTIVE_DITHER_2"), ("ZDITHER0", 9990), ("ZBLANK", BLANK)]
    else:
        keys += [("ZQUANTIZ", "NO_DITHER")]
    for k, v in keys: hdu.header[k] = v
    hdus.append(hdu)
    masks.append(np.flatnonzero(mask).tolist())
# A 64-bit integer image (astropy 5.2.1 cannot write one), GZIP_2 in 8 x 5 tiles, big-endian then shuffled.
int64 = rng.integers(-2**62, 2**62, (ny, nx), dtype=np.int64)
int64.flat[::3] = 7
shuffled = []
for t in range(gx * gy):
    x0, y0 = (t % gx) * tx, (t // gx) * ty
    raw = np.frombuffer(int64[y0:y0 + ty, x0:x0 + tx].astype(">i8").tobytes(), dtype=np.uint8)
    shuffled.append(np.frombuffer(gzip.compress(raw.reshape(-1, 8).T.tobytes()), dtype=np.uint8))
hdu = fits.BinTableHDU.from_columns([fits.Column(name="COMPRESSED_DATA", format="1QB()", array=shuffled)])
for k, v in [("ZIMAGE", True), ("ZBITPIX", 64), ("ZNAXIS", 2), ("ZNAXIS1", nx), ("ZNAXIS2", ny),
             ("ZTILE1", tx), ("ZTILE2", ty), ("ZCMPTYPE", "GZIP_2")]:
    hdu.header[k] = v
hdus.append(hdu)
fits.HDUList(hdus).writeto(path)
out = []
with fits.open(path, disable_image_compression=True) as raw, fits.open(path) as hdul:
    for i in (1, 2):
        h = raw[i].header
        out.append({"hdu": {"path": path, "cards": cards(h), "datLoc": raw.fileinfo(i)["datLoc"],
            "size": h["NAXIS1"] * h["NAXIS2"] + h["PCOUNT"]}, "pixels": enc(hdul[i].data), "blank": masks[i - 1]})
    h = raw[3].header
    out.append({"hdu": {"path": path, "cards": cards(h), "datLoc": raw.fileinfo(3)["datLoc"],
        "size": h["NAXIS1"] * h["NAXIS2"] + h["PCOUNT"]}, "pixels": enc(int64), "blank": []})
print(json.dumps(out))
`;

interface Written {
  readonly hdu: AstropyHdu;
  readonly pixels: { b64: string };
  readonly blank: number[];
}

describe("ditherRandoms()", () => {
  it("reproduces the FITS standard's sequence", () => {
    const r = ditherRandoms();
    expect(r.length).toBe(10000);
    // First value 16807 / (2^31 - 1), as float32.
    expect(r[0]).toBe(Math.fround(16807 / 2147483647));
  });
});

describeWithPython("astropy", "decompressImage() of hand-made quantized tiles", (interpreter) => {
  const fixture = once(() => {
    const path = join(mkdtempSync(join(tmpdir(), "quantized-")), "hand.fits");
    const written = runPython<Written[]>(interpreter, WRITE, { path });
    return { written, file: new Uint8Array(readFileSync(path)) };
  });

  for (const [i, name] of [
    [0, "ZBLANK keyword, SUBTRACTIVE_DITHER_2 zeros and an UNCOMPRESSED_DATA tile"],
    [1, "ZBLANK column, NO_DITHER and a GZIP_COMPRESSED_DATA tile"],
  ] as const) {
    it(`restores ${name} as astropy does, with ZBLANK pixels NaN`, () => {
      const { written, file } = fixture();
      const { hdu, pixels, blank } = written[i] as Written;
      const ours = decompressImage(headerOf(hdu.cards), file.subarray(hdu.datLoc, hdu.datLoc + hdu.size));
      const expected = new Float32Array(new Uint8Array(Buffer.from(pixels.b64, "base64")).buffer);
      for (const k of blank) expected[k] = Number.NaN;
      expect(blank.length).toBeGreaterThan(10);
      expect(bytesOf(ours.pixels).equals(bytesOf(expected))).toBe(true);
    });
  }

  it("restores a 64-bit integer image from GZIP_2 tiles with 64-bit (Q) descriptors", () => {
    const { written, file } = fixture();
    const { hdu, pixels } = written[2] as Written;
    const ours = decompressImage(headerOf(hdu.cards), file.subarray(hdu.datLoc, hdu.datLoc + hdu.size));
    expect(ours.pixels).toBeInstanceOf(BigInt64Array);
    expect(ours.shape).toEqual([23, 17]);
    expect(bytesOf(ours.pixels).equals(Buffer.from(pixels.b64, "base64"))).toBe(true);
  });
});
