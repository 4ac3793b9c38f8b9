import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import {
  type AstropyHdu,
  bytesOf,
  dtypeOf,
  headerOf,
  type JsonFitsValue,
  once,
  PY_HELPERS,
} from "../../../../../test/support/fits-astropy.ts";
import { describeWithPython, runPython } from "../../../../../test/support/python.ts";
import { compressedImageLayout } from "./compressed-layout.ts";
import { decompressImage } from "./decompress-image.ts";
import { decompressImageRegion } from "./decompress-region.ts";
import { tilesCovering } from "./tile-grid.ts";

interface Case {
  readonly name: string;
  readonly dtype: "int16" | "int32" | "uint8" | "float32" | "float64";
  /** numpy order (slowest axis first). */
  readonly shape: number[];
  readonly compression: string;
  /** astropy 5.2.1's `tile_size`, FITS order (ZTILE1 first). */
  readonly tile?: number[];
  readonly quantizeLevel?: number;
  readonly quantizeMethod?: number;
  readonly ditherSeed?: number;
  readonly nans?: boolean;
  readonly blank?: boolean;
}

/** Writes every case as one CompImageHDU of one file; prints what astropy decompresses. */
const WRITE = `${PY_HELPERS}
from astropy.io import fits
request = json.load(sys.stdin)
rng = np.random.default_rng(11)
hdus = [fits.PrimaryHDU()]
for case in request["cases"]:
    shape, dtype = tuple(case["shape"]), case["dtype"]
    if dtype == "uint8":
        data = rng.integers(0, 256, shape, dtype=np.uint8)
    elif dtype == "int16":
        data = (rng.normal(0, 300, shape)).astype(np.int16)
        data.flat[::7] = -32768; data.flat[1::11] = 32767
    elif dtype == "int32":
        data = rng.integers(-2**31, 2**31, shape, dtype=np.int64).astype(np.int32)
        data.flat[: data.size // 3] = 12345  # low-entropy blocks too
        data.flat[data.size // 3 : data.size // 2] = rng.integers(-3, 3, data.size // 2 - data.size // 3)
    else:
        y = np.indices(shape).sum(axis=0)
        data = (np.sin(y / 5.0) * 100 + rng.normal(0, 2, shape)).astype(dtype)
        data.flat[::13] = 0.0
        if case.get("nans"): data.flat[5::17] = np.nan
    kwargs = dict(compression_type=case["compression"])
    if "tile" in case: kwargs["tile_size"] = case["tile"]
    if "quantizeLevel" in case: kwargs["quantize_level"] = case["quantizeLevel"]
    if "quantizeMethod" in case: kwargs["quantize_method"] = case["quantizeMethod"]
    if "ditherSeed" in case: kwargs["dither_seed"] = case["ditherSeed"]
    if case.get("blank"):
        # An integer image with BLANK, under astropy's default name, which the image header leaves out.
        data.flat[::5] = -999
        header = fits.Header([("BLANK", -999), ("OBJECT", "M31", "target")])
        hdus.append(fits.CompImageHDU(data, header=header, **kwargs))
    else:
        hdus.append(fits.CompImageHDU(data, name=case["name"], **kwargs))
fits.HDUList(hdus).writeto(request["path"])
out = []
with fits.open(request["path"], disable_image_compression=True) as raw, fits.open(request["path"]) as hdul:
    for i in range(1, len(hdus)):
        h = raw[i].header
        out.append({"hdu": {"path": request["path"], "cards": cards(h), "datLoc": raw.fileinfo(i)["datLoc"],
            "size": h["NAXIS1"] * h["NAXIS2"] + h["PCOUNT"]}, "image": cards(hdul[i].header),
            "pixels": enc(hdul[i].data)})
print(json.dumps(out))
`;

const CASES: Case[] = [
  { name: "rice-i16", dtype: "int16", shape: [45, 37], compression: "RICE_1", tile: [16, 8] },
  { name: "gzip1-i16", dtype: "int16", shape: [45, 37], compression: "GZIP_1" },
  { name: "gzip2-i16", dtype: "int16", shape: [45, 37], compression: "GZIP_2", tile: [10, 10] },
  { name: "rice-i32", dtype: "int32", shape: [30, 37], compression: "RICE_1", tile: [37, 4] },
  { name: "gzip1-i32", dtype: "int32", shape: [30, 37], compression: "GZIP_1", tile: [7, 30] },
  { name: "gzip2-i32", dtype: "int32", shape: [30, 37], compression: "GZIP_2", tile: [5, 5] },
  { name: "rice-u8", dtype: "uint8", shape: [33, 40], compression: "RICE_1", tile: [16, 16] },
  { name: "gzip1-u8", dtype: "uint8", shape: [33, 40], compression: "GZIP_1" },
  { name: "gzip2-u8", dtype: "uint8", shape: [33, 40], compression: "GZIP_2", tile: [9, 4] },
  { name: "rice-i16-3d", dtype: "int16", shape: [3, 10, 12], compression: "RICE_1", tile: [5, 4, 2] },
  { name: "nocompress-i16", dtype: "int16", shape: [12, 9], compression: "NOCOMPRESS", tile: [4, 4] },
  {
    name: "rice-f32-d1",
    dtype: "float32",
    shape: [40, 50],
    compression: "RICE_1",
    tile: [16, 8],
    quantizeLevel: 16,
    quantizeMethod: 1,
    ditherSeed: 9999,
  },
  {
    name: "rice-f32-d2",
    dtype: "float32",
    shape: [40, 50],
    compression: "RICE_1",
    tile: [50, 1],
    quantizeLevel: 16,
    quantizeMethod: 2,
    ditherSeed: 42,
  },
  {
    name: "rice-f32-nd",
    dtype: "float32",
    shape: [40, 50],
    compression: "RICE_1",
    quantizeLevel: 16,
    quantizeMethod: -1,
  },
  {
    name: "gzip1-f32-d1",
    dtype: "float32",
    shape: [40, 50],
    compression: "GZIP_1",
    tile: [13, 11],
    quantizeLevel: 16,
    quantizeMethod: 1,
  },
  {
    name: "gzip2-f32-d2",
    dtype: "float32",
    shape: [40, 50],
    compression: "GZIP_2",
    tile: [16, 16],
    quantizeLevel: 16,
    quantizeMethod: 2,
  },
  {
    name: "rice-f32-nan",
    dtype: "float32",
    shape: [40, 50],
    compression: "RICE_1",
    tile: [16, 8],
    quantizeLevel: 16,
    quantizeMethod: 2,
    nans: true,
  },
  {
    name: "gzip2-f32-nan-nd",
    dtype: "float32",
    shape: [40, 50],
    compression: "GZIP_2",
    quantizeLevel: 16,
    quantizeMethod: -1,
    nans: true,
  },
  {
    name: "gzip1-f64-d1",
    dtype: "float64",
    shape: [20, 30],
    compression: "GZIP_1",
    tile: [8, 8],
    quantizeLevel: 16,
    quantizeMethod: 1,
  },
  {
    name: "gzip2-f32-lossless",
    dtype: "float32",
    shape: [20, 30],
    compression: "GZIP_2",
    tile: [7, 6],
    quantizeLevel: 0,
  },
  { name: "gzip1-f32-lossless", dtype: "float32", shape: [20, 30], compression: "GZIP_1", quantizeLevel: 0 },
  { name: "rice-i16-blank", dtype: "int16", shape: [20, 30], compression: "RICE_1", blank: true },
];

interface Written {
  readonly hdu: AstropyHdu;
  readonly image: [string, JsonFitsValue][];
  readonly pixels: { dtype: string; b64: string; shape: number[] };
}

describeWithPython("astropy", "decompressImage() against astropy", (interpreter) => {
  const fixture = once(() => {
    const path = join(mkdtempSync(join(tmpdir(), "compressed-")), "images.fits");
    const written = runPython<Written[]>(interpreter, WRITE, { path, cases: CASES });
    return { path, written, file: new Uint8Array(readFileSync(path)) };
  });

  CASES.forEach((c, i) => {
    const item = once(() => {
      const { path, written, file } = fixture();
      const { hdu, image, pixels } = written[i] as Written;
      return {
        path,
        hdu,
        image,
        pixels,
        data: file.subarray(hdu.datLoc, hdu.datLoc + hdu.size),
        header: headerOf(hdu.cards),
      };
    });

    it(`${c.name}: pixels bit for bit, shape and header as astropy gives them`, () => {
      const { path, hdu, image, pixels, data, header } = item();
      const ours = decompressImage(header, data, { file: path, offset: hdu.datLoc });
      expect(ours.shape).toEqual([...pixels.shape].reverse());
      expect(dtypeOf(ours.pixels).slice(1)).toBe(pixels.dtype.slice(1));
      expect(bytesOf(ours.pixels).equals(Buffer.from(pixels.b64, "base64"))).toBe(true);
      // astropy keeps ZDITHER0 in the image header (to re-compress with the same seed); we drop it with
      // the other compression keywords.
      const theirs = headerOf(image).cards.filter((card) => card.key !== "ZDITHER0");
      expect(ours.cards.map((card) => [card.key, card.value])).toEqual(
        theirs.map((card) => [card.key, card.value]),
      );
    });

    if (c.compression === "RICE_1" && c.dtype === "int16" && c.tile !== undefined) {
      it(`${c.name}: reads RICE_ONE as RICE_1`, () => {
        const { data, header } = item();
        const renamed = header.cards.map((card) =>
          card.key === "ZCMPTYPE" ? { ...card, value: "RICE_ONE" } : card,
        );
        expect(decompressImage(renamed, data).pixels).toEqual(decompressImage(header, data).pixels);
      });
    }

    it(`${c.name}: decompressImageRegion() reads only the covering tiles`, async () => {
      const { pixels, data, header } = item();
      const shape = [...pixels.shape].reverse();
      const box = {
        start: shape.map((n) => Math.floor(n / 3)),
        shape: shape.map((n) => Math.max(1, Math.floor(n / 2))),
      };
      const reads: [number, number][] = [];
      const region = await decompressImageRegion(
        header,
        async (offset, length) => {
          reads.push([offset, length]);
          return data.slice(offset, offset + length);
        },
        box,
      );
      const full = decompressImage(header, data);
      expect(region.pixels).toEqual(crop(full.pixels, shape, box));
      // One read for the span of table rows, one per covering tile's heap cell, nothing else.
      expect(reads.length).toBe(1 + tilesCovering(compressedImageLayout(header, data.length), box).length);
    });
  });
});

/** The pixels of `box` cut from a whole image, in TypeScript, to check the region reader against. */
function crop<T extends { length: number; [i: number]: unknown }>(
  pixels: T,
  shape: number[],
  box: { start: number[]; shape: number[] },
): T {
  const out = new (pixels.constructor as new (n: number) => T)(box.shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const visit = (axis: number, offset: number) => {
    const stride = shape.slice(0, axis).reduce((a, b) => a * b, 1);
    for (
      let c = box.start[axis] as number;
      c < (box.start[axis] as number) + (box.shape[axis] as number);
      c++
    ) {
      if (axis === 0) out[k++] = pixels[offset + c];
      else visit(axis - 1, offset + c * stride);
    }
  };
  visit(shape.length - 1, 0);
  return out;
}
