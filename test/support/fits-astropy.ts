import { readFileSync } from "node:fs";
import type { FitsNumericArray } from "../../src/datastore/formatters/fits/bintable-types.ts";
import type {
  FitsCard,
  FitsHeaderLookup,
  FitsValue,
} from "../../src/datastore/formatters/fits/fits-types.ts";

/** A header value as the test scripts print it: integers past 2^53 travel as `{ bigint: "..." }`. */
export type JsonFitsValue = string | number | boolean | null | { bigint: string };

/** What the test scripts print for one HDU: its cards and where its data lies in the file. */
export interface AstropyHdu {
  readonly path: string;
  readonly cards: [string, JsonFitsValue][];
  /** Byte offset of the data in the file. */
  readonly datLoc: number;
  /** `NAXIS1 * NAXIS2 + PCOUNT`. */
  readonly size: number;
}

/** Expected values as the test scripts print them: typed data in little-endian base64, or plain lists. */
export type Expected =
  | { readonly dtype: string; readonly b64: string; readonly shape: number[] }
  | { readonly strings: unknown[] }
  | { readonly bools: unknown[] }
  | { readonly rows: Expected[] };

/**
 * A value made on first use and kept: test files make their astropy fixtures this way, so nothing runs
 * while vitest collects a suite it skips.
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** Python helpers the test scripts share: `enc(array)` to carry numpy data and `cards(header)`. */
export const PY_HELPERS = `
import base64, json, sys
import numpy as np
def enc(a):
    if isinstance(a, str): return {"strings": [a]}
    a = np.asarray(a)
    if a.dtype == object: return {"rows": [enc(x) for x in a]}
    if a.dtype.kind in "US": return {"strings": a.tolist()}
    if a.dtype.kind == "b": return {"bools": a.astype(int).tolist()}
    le = a.astype(a.dtype.newbyteorder("<"))
    return {"dtype": le.dtype.str, "b64": base64.b64encode(le.tobytes()).decode(), "shape": list(a.shape)}
def cards(header):
    out = []
    for c in header.cards:
        v = c.value
        if c.keyword in ("COMMENT", "HISTORY", ""): v = str(v)
        elif isinstance(v, (bool, float, str)): pass
        elif isinstance(v, (int, np.integer)): v = int(v) if abs(int(v)) < 2**53 else {"bigint": str(int(v))}
        else: v = None
        out.append([c.keyword, v])
    return out
`;

/** A header lookup and card list from what the scripts print. */
export function headerOf(
  cards: readonly [string, JsonFitsValue][],
): FitsHeaderLookup & { cards: FitsCard[] } {
  const list: FitsCard[] = cards.map(([key, value]) => ({ key, value: fitsValue(value) }));
  return {
    cards: list,
    get: (key: string) => list.find((card) => card.key === key)?.value,
  };
}

function fitsValue(value: JsonFitsValue): FitsValue {
  return value !== null && typeof value === "object" ? BigInt(value.bigint) : value;
}

/** The data bytes of an HDU astropy wrote, sliced in TypeScript. */
export function dataOf(hdu: AstropyHdu): Uint8Array {
  return new Uint8Array(readFileSync(hdu.path)).subarray(hdu.datLoc, hdu.datLoc + hdu.size);
}

/** The bytes of a typed array in little-endian order (the host's), to compare with numpy's. */
export function bytesOf(array: FitsNumericArray): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** numpy dtype string of a typed array, so a test can check the element type exactly. */
export function dtypeOf(array: FitsNumericArray, complex = false): string {
  const name = array.constructor.name;
  if (complex) return name === "Float32Array" ? "<c8" : "<c16";
  return (
    {
      Uint8Array: "|u1",
      Int8Array: "|i1",
      Int16Array: "<i2",
      Uint16Array: "<u2",
      Int32Array: "<i4",
      Uint32Array: "<u4",
      BigInt64Array: "<i8",
      BigUint64Array: "<u8",
      Float32Array: "<f4",
      Float64Array: "<f8",
    } as Record<string, string>
  )[name] as string;
}

/** A FITS file: an empty primary HDU, then one extension with these cards and data, padded to 2880. */
export function fitsFile(cards: readonly FitsCard[], data: Uint8Array): Uint8Array {
  const primary = headerBlock([
    { key: "SIMPLE", value: true },
    { key: "BITPIX", value: 8 },
    { key: "NAXIS", value: 0 },
    { key: "EXTEND", value: true },
  ]);
  const extension = headerBlock(cards);
  const padded = new Uint8Array(Math.ceil(data.length / 2880) * 2880);
  padded.set(data);
  return Buffer.concat([primary, extension, padded]);
}

function headerBlock(cards: readonly FitsCard[]): Buffer {
  const text = [...cards.map(formatCard), "END".padEnd(80)].join("");
  return Buffer.from(text.padEnd(Math.ceil(text.length / 2880) * 2880), "latin1");
}

/** One 80-character card in the fixed format (enough for the cards the codecs produce). */
function formatCard(card: FitsCard): string {
  const { value } = card;
  let text: string;
  if (typeof value === "string") text = `'${value.replaceAll("'", "''").padEnd(8)}'`.padEnd(20);
  else if (typeof value === "boolean") text = (value ? "T" : "F").padStart(20);
  else if (typeof value === "number" && !Number.isInteger(value))
    text = String(value).toUpperCase().padStart(20);
  else text = String(value).padStart(20);
  const comment = card.comment === undefined ? "" : ` / ${card.comment}`;
  return `${card.key.padEnd(8)}= ${text}${comment}`.slice(0, 80).padEnd(80);
}
