import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import {
  type AstropyHdu,
  bytesOf,
  dataOf,
  dtypeOf,
  type Expected,
  fitsFile,
  headerOf,
  once,
  PY_HELPERS,
} from "../../../../test/support/fits-astropy.ts";
import { describeWithPython, runPython } from "../../../../test/support/python.ts";
import { readBinaryTable } from "./bintable-read.ts";
import type { FitsColumn, FitsNumericArray, FitsTable } from "./bintable-types.ts";
import { encodeBinaryTable } from "./bintable-write.ts";

/** Writes a table with a column of every type, then adds what astropy 5.2.1 cannot write itself. */
const WRITE = `${PY_HELPERS}
from astropy.io import fits
path = json.load(sys.stdin)["path"]
rng = np.random.default_rng(7)
n = 5
i16 = np.array([-32768, -1, 0, 1, 32767], dtype=np.int16)
cols = [
    fits.Column(name="flag", format="L", array=np.array([True, False, True, True, False])),
    fits.Column(name="flags3", format="3L", array=rng.random((n, 3)) > 0.5),
    fits.Column(name="bits", format="11X", array=rng.random((n, 11)) > 0.5),
    fits.Column(name="u8", format="B", array=np.array([0, 1, 127, 128, 255], dtype=np.uint8)),
    fits.Column(name="i8", format="B", array=np.array([0, 127, 128, 129, 255], dtype=np.uint8)),
    fits.Column(name="i16", format="I", unit="adu", null=-32768, array=i16),
    fits.Column(name="u16", format="I", array=i16),
    fits.Column(name="i32", format="J", array=np.array([-2**31, -1, 0, 1, 2**31 - 1], dtype=np.int32)),
    fits.Column(name="u32", format="J", array=np.array([-2**31, -1, 0, 1, 2**31 - 1], dtype=np.int32)),
    fits.Column(name="i64", format="K", array=np.array([-2**63, -1, 0, 2**53 + 1, 2**63 - 1], dtype=np.int64)),
    fits.Column(name="u64", format="K", array=np.array([-2**63, -1, 0, 2**53 + 1, 2**63 - 1], dtype=np.int64)),
    fits.Column(name="name", format="12A", array=["a", "hello world!", "", "x  ", "tail"]),
    fits.Column(name="f32", format="E", unit="mag", array=np.array([np.nan, np.inf, -0.0, 1e-45, 3.25], dtype=np.float32)),
    fits.Column(name="f64", format="D", array=np.array([np.nan, -np.inf, -0.0, 5e-324, np.pi])),
    fits.Column(name="c64", format="C", array=(rng.random(n) + 1j * rng.random(n)).astype(np.complex64)),
    fits.Column(name="c128", format="M", array=rng.random(n) - 1j * rng.random(n)),
    fits.Column(name="mat", format="6J", dim="(3,2)", array=np.arange(30, dtype=np.int32).reshape(n, 2, 3)),
    fits.Column(name="vec", format="4D", array=rng.random((n, 4))),
    fits.Column(name="strs", format="15A", dim="(5,3)", array=np.array([["a", "bb", "ccc"], ["d", "", "fffff"]] * 2 + [["g", "h", "i"]])),
    fits.Column(name="sc", format="I", null=-32768, array=np.array([1, 2, -32768, 4, 5], dtype=np.int16)),
    fits.Column(name="vj", format="PJ()", array=[np.arange(k * 3, dtype=np.int32) - 5 for k in range(n)]),
    fits.Column(name="vd", format="PD()", array=[rng.random(k) for k in (2, 0, 7, 1, 3)]),
    fits.Column(name="qd", format="QD()", array=[rng.random(k) for k in (0, 4, 1, 2, 9)]),
    fits.Column(name="ve", format="PE()", array=[rng.random(k).astype(np.float32) for k in (1, 1, 0, 5, 2)]),
    fits.Column(name="va", format="PA()", array=["abc", "", "hello", "x", "yy"]),
]
fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns(cols)]).writeto(path)
# astropy 5.2.1 cannot write TZERO/TSCAL columns from numpy data (it fails in _scale_back), so add the
# keywords to the header afterwards: the stored integers then mean the unsigned/scaled values.
with fits.open(path, mode="update") as hdul:
    header = hdul[1].header
    header["TZERO5"] = -128
    header["TZERO7"] = 32768
    header["TZERO9"] = 2147483648
    header["TZERO11"] = 9223372036854775808
    header["TSCAL20"] = 0.5
    header["TZERO20"] = 10.0
with fits.open(path) as hdul:
    loc, width = hdul.fileinfo(1)["datLoc"], hdul[1].header["NAXIS1"]
with open(path, "r+b") as f:  # logical nulls (byte 0), which astropy cannot write either
    for at in (loc + 2 * width, loc + width + 2):
        f.seek(at); f.write(b"\\0")
with fits.open(path) as hdul:
    hdu = hdul[1]
    data = hdu.data
    expected = {c.name: enc(data[c.name]) for c in hdu.columns if c.name != "va"}
    expected["va"] = {"strings": ["".join(x) for x in data["va"]]}
    h = hdu.header
    print(json.dumps({"hdu": {"path": path, "cards": cards(h), "datLoc": hdul.fileinfo(1)["datLoc"],
        "size": h["NAXIS1"] * h["NAXIS2"] + h["PCOUNT"]}, "expected": expected}))
`;

/** Reads a file with astropy: verify('exception'), then the values of every column. */
const READ = `${PY_HELPERS}
from astropy.io import fits
with fits.open(json.load(sys.stdin)["path"]) as hdul:
    hdul.verify("exception")
    print(json.dumps({c.name: enc(hdul[1].data[c.name]) for c in hdul[1].columns}))
`;

function expectColumn(column: FitsColumn, expected: Expected): void {
  const complex = /[CM]/.test(column.format);
  if ("dtype" in expected) {
    const rows =
      column.cell === "scalar" ? [column.values as FitsNumericArray] : (column.values as FitsNumericArray[]);
    expect([column.name, rows.map((row) => dtypeOf(row, complex))]).toEqual([
      column.name,
      rows.map(() => expected.dtype),
    ]);
    expect(Buffer.concat(rows.map(bytesOf))).toEqual(Buffer.from(expected.b64, "base64"));
  } else if ("rows" in expected) {
    (column.values as FitsNumericArray[]).forEach((row, i) => {
      expectColumn({ ...column, cell: "scalar", values: row }, expected.rows[i] as Expected);
    });
  } else if ("strings" in expected) {
    expect(column.values).toEqual(expected.strings);
  } else {
    expect((column.values as Uint8Array[]).map((row) => Array.from(row))).toEqual(expected.bools);
  }
}

describeWithPython("astropy", "readBinaryTable() against astropy", (interpreter) => {
  const fixture = once(() => {
    const dir = mkdtempSync(join(tmpdir(), "bintable-"));
    const { hdu, expected } = runPython<{ hdu: AstropyHdu; expected: Record<string, Expected> }>(
      interpreter,
      WRITE,
      { path: join(dir, "table.fits") },
    );
    const table = readBinaryTable(headerOf(hdu.cards), dataOf(hdu), { file: hdu.path, offset: hdu.datLoc });
    return { dir, expected, table };
  });
  const column = (name: string) => fixture().table.columns.find((c) => c.name === name) as FitsColumn;

  it("reads every column type with the values astropy reads", () => {
    const { table, expected } = fixture();
    expect(table.rows).toBe(5);
    for (const c of table.columns) {
      if (c.name === "flag" || c.name === "flags3" || c.name === "sc" || c.name === "i8") continue;
      expectColumn(c, expected[c.name] as Expected);
    }
  });

  it("reads the signed-byte convention as Int8Array where astropy 5.2.1 gives float64", () => {
    const { expected } = fixture();
    const { b64 } = expected.i8 as { b64: string };
    const buffer = Buffer.from(b64, "base64");
    const floats = new Float64Array(buffer.buffer, buffer.byteOffset, buffer.length / 8);
    expect(column("i8").values).toEqual(Int8Array.from(floats));
    expect(Array.from(column("i8").values as Int8Array)).toEqual([-128, -1, 0, 1, 127]);
  });

  it("reads logicals with byte 0 as null", () => {
    const { expected } = fixture();
    expect(column("flag")).toMatchObject({ cell: "scalar", values: [true, false, null, true, false] });
    const flags = column("flags3").values as (boolean | null)[][];
    expect(flags[1]?.[1]).toBeNull();
    const bools = (expected.flags3 as { bools: number[][] }).bools;
    expect(flags.map((row, r) => row.map((v, i) => (v === null ? (bools[r]?.[i] ?? 0) : Number(v))))).toEqual(
      bools,
    );
  });

  it("applies TSCAL/TZERO and turns TNULL into NaN where astropy keeps the scaled null", () => {
    expect(Array.from(column("sc").values as Float64Array)).toEqual([10.5, 11, Number.NaN, 12, 12.5]);
  });

  it("keeps the column metadata and the element types of the conventions", () => {
    expect(column("i16")).toMatchObject({ unit: "adu", nullValue: -32768, format: "I" });
    expect(column("mat")).toMatchObject({ dims: [3, 2], cell: "array" });
    expect(column("u64").zero).toBe(2n ** 63n);
    expect(column("u64").values).toBeInstanceOf(BigUint64Array);
    expect(column("strs").values).toEqual([
      ["a", "bb", "ccc"],
      ["d", "", "fffff"],
      ["a", "bb", "ccc"],
      ["d", "", "fffff"],
      ["g", "h", "i"],
    ]);
  });

  it("encodeBinaryTable() writes what astropy reads back to the same values and verifies", () => {
    const { dir, expected, table } = fixture();
    const fixed: FitsTable = {
      rows: table.rows,
      columns: table.columns.filter((c) => !/[PQ]/.test(c.format)),
    };
    const { cards, data } = encodeBinaryTable(fixed);
    const path = join(dir, "ours.fits");
    writeFileSync(path, fitsFile(cards, data));
    const read = runPython<Record<string, Expected>>(interpreter, READ, { path });
    for (const c of fixed.columns) expect([c.name, read[c.name]]).toEqual([c.name, expected[c.name]]);
    const lookup = { get: (key: string) => cards.find((card) => card.key === key)?.value };
    expect(readBinaryTable(lookup, data)).toEqual(fixed);
  });
});
