import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { byteSource } from "../../../../test/support/byte-source.ts";
import { rejection } from "../../../../test/support/caught.ts";
import { findPython } from "../../../../test/support/python.ts";
import { ArgumentError, FormatterError } from "../../../errors.ts";
import { Box } from "../../../images/box.ts";
import { Exposure } from "../../../images/exposure.ts";
import { Image } from "../../../images/image.ts";
import { Mask } from "../../../images/mask.ts";
import { MaskedImage } from "../../../images/masked-image.ts";
import { PropertyList } from "../../../images/property-list.ts";
import { SkyWcs } from "../../../images/sky-wcs.ts";
import type { ByteSource } from "../formatter.ts";
import { formatterForExtension, formatterForRecord, recordNameOf } from "../formatter-names.ts";
import {
  fitsExposureFormatter,
  fitsImageFormatter,
  fitsMaskedImageFormatter,
  fitsMaskFormatter,
} from "./fits-image-formatters.ts";
import { openFitsReader } from "./fits-reader.ts";

const python = findPython("astropy");
const itPython = python === undefined ? it.skip : it;
const title = (name: string) =>
  python === undefined ? `${name} [skipped: no python3 with astropy found]` : name;

const WIDTH = 60;
const HEIGHT = 40;
const XY0 = { x: 1000, y: 2000 };
const WCS = new SkyWcs({
  crpix: [1030, 2020],
  crval: [53.1, -27.8],
  cd: [
    [-5.5e-5, 2e-6],
    [1e-6, 5.5e-5],
  ],
});

function exposure(): Exposure {
  const image = new Float32Array(WIDTH * HEIGHT).map((_, i) => i / 4);
  const mask = new Int32Array(WIDTH * HEIGHT).map((_, i) => i % 7);
  const variance = new Float32Array(WIDTH * HEIGHT).fill(2.5);
  return new Exposure({
    image: new Image({ array: image, width: WIDTH, height: HEIGHT, xy0: XY0 }),
    mask: new Mask({ array: mask, width: WIDTH, height: HEIGHT, xy0: XY0 }),
    variance: new Image({ array: variance, width: WIDTH, height: HEIGHT, xy0: XY0 }),
    metadata: new PropertyList()
      .with("EXPTIME", 30.5, "exposure time")
      .with("FILTER", "r")
      .with("VISIT", 903342),
    wcs: WCS,
  });
}

function counting(bytes: Uint8Array): ByteSource & { bytesRead: number } {
  const source = {
    bytesRead: 0,
    size: async () => bytes.length,
    read: async (start: number, end: number) => {
      source.bytesRead += end - start;
      return bytes.slice(start, end);
    },
    readAll: async () => {
      source.bytesRead += bytes.length;
      return bytes;
    },
  };
  return source;
}

describe("FITS image formatters", () => {
  it("round-trip an Exposure: planes, mask planes, metadata and WCS", async () => {
    const original = exposure();
    const bytes = await fitsExposureFormatter.write(original);
    const read = (await fitsExposureFormatter.read(byteSource(bytes))) as Exposure;
    expect(read).toBeInstanceOf(Exposure);
    expect(read.bbox).toEqual(original.bbox);
    expect(read.image.array).toEqual(original.image.array);
    expect(read.mask?.array).toEqual(original.mask?.array);
    expect(read.mask?.planes).toEqual(original.mask?.planes);
    expect(read.variance?.array).toEqual(original.variance?.array);
    expect(read.metadata.toObject()).toEqual({ EXPTIME: 30.5, FILTER: "r", VISIT: 903342 });
    expect(read.metadata.getComment("EXPTIME")).toBe("exposure time");
    expect(read.wcs?.toJSON()).toEqual(WCS.toJSON());
  });

  it("round-trip an Image and a Mask in the primary HDU with their xy0", async () => {
    const { image, mask } = exposure();
    const readImage = (await fitsImageFormatter.read(
      byteSource(await fitsImageFormatter.write(image)),
    )) as Image;
    expect([readImage.constructor, readImage.xy0, readImage.array]).toEqual([Image, XY0, image.array]);
    const readMask = (await fitsMaskFormatter.read(byteSource(await fitsMaskFormatter.write(mask)))) as Mask;
    expect([readMask.constructor, readMask.xy0, readMask.planes]).toEqual([Mask, XY0, mask?.planes]);
  });

  it("round-trip a MaskedImage of unsigned 16-bit pixels, filling a missing variance", async () => {
    const image = new Image({
      array: new Uint16Array([0, 1, 65535, 40000]),
      width: 2,
      height: 2,
      xy0: { x: -3, y: 4 },
    });
    const written = new MaskedImage({
      image,
      mask: Mask.blank(2, 2, { x: -3, y: 4 }, { BAD: 0, CUSTOM_PLANE: 12 }),
    });
    const read = (await fitsMaskedImageFormatter.read(
      byteSource(await fitsMaskedImageFormatter.write(written)),
    )) as MaskedImage;
    expect(read).toBeInstanceOf(MaskedImage);
    expect([read.image.dtype, [...read.image.array], read.xy0]).toEqual([
      "uint16",
      [0, 1, 65535, 40000],
      { x: -3, y: 4 },
    ]);
    expect(read.mask?.planes).toEqual({ BAD: 0, CUSTOM_PLANE: 12 });
    expect([read.variance?.dtype, [...(read.variance?.array ?? [])]]).toEqual(["float32", [0, 0, 0, 0]]);
  });

  it("cut while reading: bbox as a string or object, PARENT or LOCAL", async () => {
    const bytes = await fitsExposureFormatter.write(exposure());
    const full = exposure();
    const box = new Box(1010, 2005, 1019, 2014);
    for (const parameters of [
      { bbox: "1010,2005,1019,2014" },
      { bbox: { x0: 1010, y0: 2005, x1: 1019, y1: 2014 } },
      { bbox: "10,5,19,14", origin: "LOCAL" },
    ]) {
      const cut = (await fitsExposureFormatter.read(byteSource(bytes), { parameters })) as Exposure;
      expect(cut.bbox).toEqual(box);
      expect(cut.image.array).toEqual(full.subimage(box).image.array);
      expect(cut.mask?.array).toEqual(full.subimage(box).mask?.array);
      expect(cut.wcs?.pixelToSky(1012, 2007)).toEqual(full.wcs?.pixelToSky(1012, 2007));
    }
  });

  it("refuse a bbox outside the image", async () => {
    const bytes = await fitsExposureFormatter.write(exposure());
    const error = await rejection(
      fitsExposureFormatter.read(byteSource(bytes), { parameters: { bbox: "0,0,9,9" } }),
      ArgumentError,
    );
    expect(error.code).toBe("ArgumentError");
    expect(error.message).toBe(
      "Box 0,0,9,9 (PARENT) is not inside the image, whose box is 1000,2000,1059,2039 (PARENT)",
    );
  });

  it("read components, the header-only ones without touching pixels", async () => {
    const bytes = await fitsExposureFormatter.write(exposure());
    const read = async (component: string, parameters?: Record<string, unknown>) => {
      const source = counting(bytes);
      const value = await fitsExposureFormatter.read(source, {
        component,
        ...(parameters ? { parameters } : {}),
      });
      return { value, bytesRead: source.bytesRead };
    };
    const reader = await openFitsReader(byteSource(bytes));
    const headerBytes = reader.hdus.reduce((sum, hdu) => sum + hdu.dataOffset - hdu.headerOffset, 0);
    expect((await read("metadata")).value).toBeInstanceOf(PropertyList);
    expect((await read("metadata")).bytesRead).toBeLessThanOrEqual(headerBytes);
    expect((await read("wcs")).value).toEqual(WCS);
    expect((await read("wcs")).bytesRead).toBeLessThanOrEqual(headerBytes);
    expect((await read("bbox")).value).toEqual(new Box(1000, 2000, 1059, 2039));
    expect((await read("dimensions")).value).toEqual({ x: WIDTH, y: HEIGHT });
    expect((await read("xy0")).value).toEqual(XY0);
    expect((await read("bbox", { bbox: "1001,2001,1002,2002" })).value).toEqual(
      new Box(1001, 2001, 1002, 2002),
    );
    const variance = (await read("variance")).value as Image;
    expect([variance.constructor, variance.dtype, variance.xy0]).toEqual([Image, "float32", XY0]);
    expect((await read("mask")).value).toBeInstanceOf(Mask);
  });

  it("build the storage class asked for", async () => {
    const bytes = await fitsExposureFormatter.write(exposure());
    const as = (storageClass: string) => fitsExposureFormatter.read(byteSource(bytes), { storageClass });
    expect(await as("ImageF")).toBeInstanceOf(Image);
    expect(await as("MaskX")).toBeInstanceOf(Mask);
    expect(await as("MaskedImageF")).toBeInstanceOf(MaskedImage);
    expect(await as("ExposureF")).toBeInstanceOf(Exposure);
  });

  it("refuse files that are not FITS images, and unknown components", async () => {
    const error = await rejection(fitsImageFormatter.read(byteSource("{}"), {}, "x.fits"), FormatterError);
    expect(error.message).toBe("Not a FITS file: it does not start with SIMPLE (x.fits at byte 0)");
    const bytes = await fitsExposureFormatter.write(exposure());
    await expect(
      fitsExposureFormatter.read(byteSource(bytes), { component: "psf" }, "x.fits"),
    ).rejects.toThrow('Cannot read component "psf" of a FITS image (x.fits)');
    await expect(fitsExposureFormatter.write({ image: 1 })).rejects.toThrow(
      "Cannot write a plain object as a FITS image",
    );
  });

  it("are registered under obs_base's class names and picked for .fits output", async () => {
    const name = "lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter";
    expect(formatterForRecord(name)).toBe(fitsExposureFormatter);
    expect(recordNameOf(fitsImageFormatter)).toBe("lsst.obs.base.formatters.fitsExposure.FitsImageFormatter");
    const chosen = formatterForExtension("fits");
    const cut = exposure().subimage(new Box(1010, 2010, 1019, 2019));
    const read = (await chosen?.read(byteSource((await chosen?.write(cut)) as Uint8Array))) as Exposure;
    expect(read.bbox).toEqual(cut.bbox);
  });

  itPython(title("write files astropy verifies, with the WCS giving the same sky in a cutout"), async () => {
    const dir = mkdtempSync(join(tmpdir(), "fits-formatter-"));
    try {
      const full = exposure();
      const cut = full.subimage(new Box(1020, 2010, 1049, 2029));
      writeFileSync(join(dir, "full.fits"), await fitsExposureFormatter.write(full));
      writeFileSync(join(dir, "cut.fits"), await fitsExposureFormatter.write(cut));
      const script = `
import json, sys
from astropy.io import fits
from astropy.wcs import WCS
out = {}
for name in ["full", "cut"]:
    with fits.open(f"${dir}/{name}.fits") as f:
        f.verify("exception")
        h = f["IMAGE"].header
        x0, y0 = int(-h["LTV1"]), int(-h["LTV2"])
        sky = WCS(h).wcs_pix2world([[1030 - x0, 2015 - y0]], 0)[0].tolist()
        out[name] = {"sky": sky, "pixel": float(f["IMAGE"].data[2015 - y0, 1030 - x0]),
                     "mask": f["MASK"].header["MP_DETECTED_NEGATIVE"], "exptime": f[0].header["EXPTIME"]}
print(json.dumps(out))`;
      const result = spawnSync(python as string, ["-c", script], { encoding: "utf8" });
      expect(result.stderr).toBe("");
      const answer = JSON.parse(result.stdout) as Record<
        string,
        { sky: number[]; pixel: number; mask: number; exptime: number }
      >;
      const ours = full.wcs?.pixelToSky(1030, 2015);
      for (const name of ["full", "cut"]) {
        const got = answer[name];
        expect(got?.sky[0]).toBeCloseTo(ours?.ra as number, 10);
        expect(got?.sky[1]).toBeCloseTo(ours?.dec as number, 10);
        expect(got?.pixel).toBe(full.image.get(1030, 2015));
        expect([got?.mask, got?.exptime]).toEqual([6, 30.5]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  itPython(title("read an afw-layout exposure astropy writes"), async () => {
    const dir = mkdtempSync(join(tmpdir(), "fits-afw-"));
    try {
      const script = `
import numpy as np
from astropy.io import fits
h = fits.Header()
h["LTV1"], h["LTV2"] = -10, -20
h["CTYPE1A"], h["CTYPE2A"] = "LINEAR", "LINEAR"
h["CRPIX1A"], h["CRPIX2A"], h["CRVAL1A"], h["CRVAL2A"] = 1, 1, 10, 20
img = fits.ImageHDU(np.arange(12, dtype=np.float32).reshape(3, 4), header=h, name="IMAGE")
mh = h.copy(); mh["MP_BAD"] = 0; mh["HIERARCH MP_DETECTED_NEGATIVE"] = 6
mask = fits.ImageHDU(np.full((3, 4), 64, np.int32), header=mh, name="MASK")
var = fits.ImageHDU(np.ones((3, 4), np.float32), header=h, name="VARIANCE")
p = fits.PrimaryHDU(); p.header["OBSERVER"] = "astropy"
fits.HDUList([p, img, mask, var]).writeto("${dir}/afw.fits")`;
      const result = spawnSync(python as string, ["-c", script], { encoding: "utf8" });
      expect(result.stderr).toBe("");
      const bytes = readFileSync(join(dir, "afw.fits"));
      const read = (await fitsExposureFormatter.read(byteSource(bytes))) as Exposure;
      expect(read.bbox).toEqual(new Box(10, 20, 13, 22));
      expect(read.image.get(11, 21)).toBe(5);
      expect(read.mask?.planes).toEqual({ BAD: 0, DETECTED_NEGATIVE: 6 });
      expect(read.metadata.get("OBSERVER")).toBe("astropy");
      expect(read.wcs).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  itPython(title("read tile-compressed afw planes astropy writes, cut while reading"), async () => {
    const dir = mkdtempSync(join(tmpdir(), "fits-compressed-"));
    try {
      const script = `
import base64, json, numpy as np
from astropy.io import fits
rng = np.random.default_rng(3)
h = fits.Header()
h["LTV1"], h["LTV2"] = -10, -20
image = rng.normal(100, 5, size=(300, 200)).astype(np.float32)
mask = rng.integers(0, 512, size=(300, 200), dtype=np.int32)
variance = rng.normal(25, 1, size=(300, 200)).astype(np.float32)
mh = h.copy(); mh["MP_BAD"] = 0
hdus = [fits.PrimaryHDU(), fits.CompImageHDU(image, header=h, name="IMAGE", compression_type="RICE_1"),
        fits.CompImageHDU(mask, header=mh, name="MASK", compression_type="RICE_1"),
        fits.CompImageHDU(variance, header=h, name="VARIANCE", compression_type="GZIP_2")]
fits.HDUList(hdus).writeto("${dir}/c.fits")
with fits.open("${dir}/c.fits") as f:
    cut = lambda n: np.ascontiguousarray(f[n].data[140:160, 50:80]).astype("<" + f[n].data.dtype.str[1:])
    print(json.dumps({n: base64.b64encode(cut(n).tobytes()).decode() for n in ["IMAGE", "MASK", "VARIANCE"]}))`;
      const result = spawnSync(python as string, ["-c", script], { encoding: "utf8" });
      expect(result.stderr).toBe("");
      const expected = JSON.parse(result.stdout) as Record<string, string>;
      const bytes = readFileSync(join(dir, "c.fits"));
      const source = counting(bytes);
      const cut = (await fitsExposureFormatter.read(source, {
        parameters: { bbox: "60,160,89,179" },
      })) as Exposure;
      expect(cut.bbox).toEqual(new Box(60, 160, 89, 179));
      const b64 = (image: Image | null) =>
        Buffer.from(
          (image as Image).array.buffer,
          (image as Image).array.byteOffset,
          (image as Image).array.byteLength,
        ).toString("base64");
      expect(b64(cut.image)).toBe(expected.IMAGE);
      expect(b64(cut.mask)).toBe(expected.MASK);
      expect(b64(cut.variance)).toBe(expected.VARIANCE);
      expect(cut.mask?.planes).toEqual({ BAD: 0 });
      expect(source.bytesRead).toBeLessThan(bytes.length / 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
