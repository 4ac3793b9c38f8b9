import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { byteSource } from "../../../../test/support/byte-source.ts";
import { describeWithPython, runPython } from "../../../../test/support/python.ts";
import {
  makeNumericArray,
  NUMERIC_TYPES,
  type NumericArray,
  type NumericType,
} from "../../../arrays/numeric-array.ts";
import { skyWcsFromCards } from "../../../images/sky-wcs-cards.ts";
import { openFitsReader } from "./fits-reader.ts";
import type { FitsValue } from "./fits-types.ts";
import { writeFits } from "./fits-writer.ts";

/** Python helpers: values as JSON can carry them exactly, arrays as little-endian base64. */
const COMMON = `
import base64, json, sys, numpy as np
from astropy.io import fits
from astropy.wcs import WCS
def enc(v):
    if isinstance(v, (bool, np.bool_)): return bool(v)
    if isinstance(v, (int, np.integer)): return {"int": str(int(v))}
    if isinstance(v, (float, np.floating)): return {"float": repr(float(v))}
    if isinstance(v, str): return v
    if isinstance(v, complex): return {"complex": [v.real, v.imag]}
    return None
def b64(a):
    a = np.ascontiguousarray(a)
    return {"dtype": a.dtype.name, "b64": base64.b64encode(a.astype(a.dtype.newbyteorder("<")).tobytes()).decode()}
def cards(h):
    return [[c.keyword, enc(c.value), c.comment] for c in h.cards]
`;

const WRITE_SCRIPT = `${COMMON}
d = json.load(sys.stdin)["dir"]
out = {"images": {}, "wcs": []}
rng = np.random.default_rng(7)
for name in ["uint8", "int8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64"]:
    t = np.dtype(name)
    if t.kind == "f":
        a = rng.normal(size=(5, 7)).astype(t)
        a[0, 0] = np.nan
    else:
        info = np.iinfo(t)
        a = rng.integers(info.min, info.max, size=(5, 7), dtype=t, endpoint=True)
        a[0, 0], a[0, 1] = info.min, info.max
    fits.PrimaryHDU(a).writeto(f"{d}/{name}.fits")
    out["images"][name] = b64(fits.getdata(f"{d}/{name}.fits"))
hdu = fits.PrimaryHDU(np.array([[1.5, 2.5, 100.25], [0, -3, 7]], np.float64))
hdu.scale("int16", bscale=0.25, bzero=10)
hdu.writeto(f"{d}/scaled.fits")
out["images"]["scaled"] = b64(fits.getdata(f"{d}/scaled.fits"))
h = fits.Header()
h["LONGSTR"] = ("x" * 100 + "'q'" + "y" * 50, "a long string")
h["HIERARCH ESO DET CHIP NAME"] = ("CCD 1", "chip")
h["BIGINT"] = 2**62
h["HUGEINT"] = 2**63 + 5
h["NEGREAL"] = -1.5e-300
h["THIRD"] = 1 / 3
h["TRUTH"] = False
h["EMPTYSTR"] = ""
h["COMMENT"] = "a comment"
h["HISTORY"] = "some history"
h["UNDEF"] = None
hdul = fits.HDUList([
    fits.PrimaryHDU(header=h),
    fits.ImageHDU(np.arange(12, dtype=">i4").reshape(3, 4), name="SCI"),
    fits.ImageHDU(np.ones((2, 2), np.float32), name="ERR"),
])
hdul.writeto(f"{d}/mef.fits")
with fits.open(f"{d}/mef.fits") as f:
    out["mef"] = [{"cards": cards(x.header), "data": None if x.data is None else b64(x.data)} for x in f]
pix = np.array([[x, y] for x in (0, 13.5, 40, 99) for y in (-20, 0, 31.25, 79)], float)
for i, (proj, crval, style) in enumerate([
    ("TAN", [150.1, -30.2], "pc"), ("SIN", [10.0, 45.0], "pc"), ("TAN", [359.99, 89.9], "cd"),
    ("TAN", [0.01, -60], "cdelt"), ("TAN", [200.0, 10.0], "sip"),
]):
    w = WCS(naxis=2)
    w.wcs.ctype = [f"RA---{proj}", f"DEC--{proj}"]
    w.wcs.crpix = [50.5, 40.25]
    w.wcs.crval = crval
    if style == "cdelt":
        w.wcs.cdelt = [-2e-4, 2e-4]
    else:
        w.wcs.cd = [[-5e-5, 1e-5], [2e-5, 5e-5]]
    header = w.to_header()
    if style == "sip":
        header["CTYPE1"], header["CTYPE2"] = "RA---TAN-SIP", "DEC--TAN-SIP"
        header["A_ORDER"], header["B_ORDER"] = 3, 3
        for (p, q), v in {(0, 2): 2e-6, (1, 1): -3e-6, (2, 0): 1e-6, (3, 0): 2e-9, (1, 2): -1e-9}.items():
            header[f"A_{p}_{q}"] = v
            header[f"B_{q}_{p}"] = -v / 2
    if style == "cd":
        for k in ["PC1_1", "PC1_2", "PC2_1", "PC2_2", "CDELT1", "CDELT2"]:
            header.remove(k, ignore_missing=True)
        for (r, c), v in np.ndenumerate(w.wcs.cd):
            header[f"CD{r + 1}_{c + 1}"] = v
    fits.PrimaryHDU(np.zeros((80, 100), np.float32), header=header).writeto(f"{d}/wcs{i}.fits")
    w2 = WCS(fits.getheader(f"{d}/wcs{i}.fits"))
    out["wcs"].append({"pixels": pix.tolist(), "sky": w2.all_pix2world(pix, 0).tolist()})
print(json.dumps(out))
`;

const READ_SCRIPT = `${COMMON}
req = json.load(sys.stdin)
out = []
for path in req["files"]:
    with fits.open(path) as f:
        f.verify("exception")
        out.append([{"cards": cards(x.header), "data": None if x.data is None else b64(x.data)} for x in f])
print(json.dumps(out))
`;

interface Encoded {
  readonly dtype: string;
  readonly b64: string;
}
type JsonValue =
  | string
  | boolean
  | null
  | { int: string }
  | { float: string }
  | { complex: [number, number] };
type HduAnswer = { cards: [string, JsonValue, string][]; data: Encoded | null };

function decoded(value: JsonValue): FitsValue | undefined {
  if (value === null || typeof value !== "object") return value ?? null;
  if ("int" in value) {
    const big = BigInt(value.int);
    return Number.isSafeInteger(Number(big)) ? Number(big) : big;
  }
  if ("float" in value) return Number(value.float);
  return `(${value.complex.join(", ")})`;
}

/** An array's bytes in little-endian order, as the Python side encodes them. */
function littleEndianBase64(array: NumericArray): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
}

let dir = "";
let written: {
  images: Record<string, Encoded>;
  mef: HduAnswer[];
  wcs: { pixels: [number, number][]; sky: [number, number][] }[];
};

describeWithPython("astropy", "FITS files astropy writes", (python) => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "fits-astropy-"));
    written = runPython(python, WRITE_SCRIPT, { dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = async (name: string) => openFitsReader(byteSource(readFileSync(join(dir, name))), name);

  it("gives the same pixels for every BITPIX, BZERO and BSCALE astropy uses", async () => {
    for (const name of [...NUMERIC_TYPES, "scaled"]) {
      const reader = await read(`${name}.fits`);
      const pixels = await reader.readPixels(reader.hdus[0] as never);
      const expected = written.images[name] as Encoded;
      expect([name, littleEndianBase64(pixels)]).toEqual([name, expected.b64]);
      expect(makeNumericArray(expected.dtype as NumericType, 0).constructor).toBe(pixels.constructor);
    }
  });

  it("gives the same cards (CONTINUE, HIERARCH, big integers) and data of every extension", async () => {
    const reader = await read("mef.fits");
    expect(reader.hdus.map((h) => h.name)).toEqual([undefined, "SCI", "ERR"]);
    for (const [i, hdu] of reader.hdus.entries()) {
      const answer = written.mef[i] as HduAnswer;
      const ours = hdu.header.cards.filter((c) => c.key !== "CONTINUE");
      const commentary = (c: (typeof ours)[number]) =>
        ["COMMENT", "HISTORY"].includes(c.key) ? c.comment : null;
      expect(ours.map((c) => [c.key, c.value ?? commentary(c)])).toEqual(
        answer.cards.map(([key, value]) => [key, decoded(value)]),
      );
      const comments = ours.filter((c) => c.value !== undefined).map((c) => c.comment ?? "");
      expect(comments).toEqual(
        answer.cards.filter(([k]) => !["COMMENT", "HISTORY"].includes(k)).map(([, , c]) => c),
      );
      if (answer.data !== null)
        expect(littleEndianBase64(await reader.readPixels(hdu))).toBe(answer.data.b64);
    }
  });

  it("computes the sky positions astropy.wcs computes (TAN, SIN, TAN-SIP; CD, PC, CDELT; near the pole)", async () => {
    for (const [i, expected] of written.wcs.entries()) {
      const reader = await read(`wcs${i}.fits`);
      const wcs = skyWcsFromCards(reader.hdus[0]?.header as never, { x: 0, y: 0 });
      expect(wcs).toBeDefined();
      expected.pixels.forEach(([x, y], j) => {
        const [ra, dec] = expected.sky[j] as [number, number];
        const sky = wcs?.pixelToSky(x, y) as { ra: number; dec: number };
        expect(Math.abs(((sky.ra - ra + 540) % 360) - 180) * Math.cos((dec * Math.PI) / 180)).toBeLessThan(
          1e-9,
        );
        expect(Math.abs(sky.dec - dec)).toBeLessThan(1e-9);
        const back = wcs?.skyToPixel(sky.ra, sky.dec) as { x: number; y: number };
        expect(Math.hypot(back.x - x, back.y - y)).toBeLessThan(1e-6);
      });
    }
  });
});

describeWithPython("astropy", "FITS files astropy reads", (python) => {
  let out = "";
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "fits-ours-"));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("passes verify('exception') and gives astropy the same pixels and cards", () => {
    const files: string[] = [];
    const arrays = NUMERIC_TYPES.map((type) => {
      const array = makeNumericArray(type, 6);
      const values = type.endsWith("64") && !type.startsWith("float") ? [0n, 1n, 2n ** 62n] : [0, 1, 100];
      if (type.startsWith("u"))
        values[2] =
          type === "uint64"
            ? 2n ** 64n - 1n
            : type === "uint32"
              ? 4294967295
              : type === "uint16"
                ? 65535
                : 255;
      if (type === "int8") values[1] = -128;
      for (let i = 0; i < 6; i += 1) (array as unknown as unknown[])[i] = values[i % 3];
      return array;
    });
    const cards = [
      { key: "LONGSTR", value: `${"x".repeat(100)}'q'${"y".repeat(60)}`, comment: "a long string" },
      { key: "ESO DET CHIP NAME", value: "CCD 1", comment: "chip" },
      { key: "HUGEINT", value: 2n ** 63n + 5n },
      { key: "THIRD", value: 1 / 3 },
      { key: "TINY", value: 5e-324 },
      { key: "ONE", value: 1, real: true },
      { key: "TRUTH", value: false },
      { key: "UNDEF", value: null },
      { key: "COMMENT", comment: "c".repeat(100) },
    ];
    const path = join(out, "ours.fits");
    writeFileSync(
      path,
      writeFits([{ cards }, ...arrays.map((array) => ({ pixels: { array, shape: [3, 2] } }))]),
    );
    files.push(path);
    const [answer] = runPython<HduAnswer[][]>(python, READ_SCRIPT, { files });
    const primary = (answer as HduAnswer[])[0] as HduAnswer;
    const values = Object.fromEntries(primary.cards.map(([key, value]) => [key, decoded(value)]));
    expect(values).toMatchObject({
      LONGSTR: cards[0]?.value,
      "ESO DET CHIP NAME": "CCD 1",
      HUGEINT: 2n ** 63n + 5n,
      THIRD: 1 / 3,
      TINY: 5e-324,
      ONE: 1,
      TRUTH: false,
      UNDEF: null,
    });
    expect(primary.cards.filter(([k]) => k === "COMMENT").map(([, v]) => v)).toEqual([
      "c".repeat(72),
      "c".repeat(28),
    ]);
    arrays.forEach((array, i) => {
      const data = (answer as HduAnswer[])[i + 1]?.data as Encoded;
      expect([NUMERIC_TYPES[i], data.dtype]).toEqual([NUMERIC_TYPES[i], NUMERIC_TYPES[i]]);
      expect(data.b64).toBe(littleEndianBase64(array));
    });
  });
});
