import { fitsError } from "./fits-error.ts";
import type { FitsHeader } from "./fits-header.ts";
import type { FitsLocation } from "./fits-types.ts";

/** What an HDU holds: an image (the primary HDU's included), a table, a tile-compressed image, or other. */
export type FitsHduKind = "image" | "bintable" | "table" | "compressed-image" | "other";

/** One header-data unit of a FITS file, as listed from its header: where its data is and what it holds. */
export interface FitsHdu {
  /** Position in the file, 0 for the primary HDU. */
  readonly index: number;
  readonly kind: FitsHduKind;
  /** `EXTNAME`, when it has one. */
  readonly name: string | undefined;
  readonly header: FitsHeader;
  /** Byte offset of its header in the file. */
  readonly headerOffset: number;
  /** Byte offset of its data (just after the header blocks). */
  readonly dataOffset: number;
  /** Bytes of data, heap included (PCOUNT), padding excluded. */
  readonly dataSize: number;
  /** Axis lengths in FITS order: `NAXIS1` (the fastest-varying, width) first. */
  readonly shape: readonly number[];
}

const MAX_AXES = 999;

/**
 * The structure a header declares (kind, axis lengths, data size), after checking its mandatory keywords
 * are present, in order and valid.
 * @throws {FormatterError} naming the keyword, for a missing, misplaced or invalid mandatory keyword.
 */
export function hduStructure(
  header: FitsHeader,
  primary: boolean,
  where: FitsLocation,
): Pick<FitsHdu, "kind" | "shape" | "dataSize" | "name"> {
  const first = primary ? "SIMPLE" : "XTENSION";
  const expect = (position: number, key: string): void => {
    if (header.cards[position]?.key !== key) {
      const found = header.cards[position]?.key ?? "nothing";
      throw fitsError(`FITS header has ${found} where ${key} must be (card ${position + 1})`, where);
    }
  };
  expect(0, first);
  if (primary && header.get("SIMPLE") !== true) {
    throw fitsError("FITS primary header does not start with SIMPLE = T", where);
  }
  expect(1, "BITPIX");
  expect(2, "NAXIS");
  const bitpix = header.get("BITPIX");
  if (![8, 16, 32, 64, -32, -64].includes(bitpix as number)) {
    throw fitsError(`Invalid BITPIX ${String(bitpix)} in FITS header`, where);
  }
  const naxis = header.get("NAXIS");
  if (typeof naxis !== "number" || !Number.isInteger(naxis) || naxis < 0 || naxis > MAX_AXES) {
    throw fitsError(`Invalid NAXIS ${String(naxis)} in FITS header: must be an integer from 0 to 999`, where);
  }
  const shape: number[] = [];
  for (let axis = 1; axis <= naxis; axis += 1) {
    expect(2 + axis, `NAXIS${axis}`);
    const length = header.get(`NAXIS${axis}`);
    if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
      throw fitsError(`Invalid NAXIS${axis} ${String(length)} in FITS header`, where);
    }
    shape.push(length);
  }
  const pcount = countOf(header, "PCOUNT", 0, where);
  const gcount = countOf(header, "GCOUNT", 1, where);
  const groups = primary && header.get("GROUPS") === true && shape[0] === 0;
  const axes = groups ? shape.slice(1) : shape;
  const pixels = naxis === 0 ? 0 : axes.reduce((a, b) => a * b, 1);
  const dataSize =
    naxis === 0 && pcount === 0 ? 0 : (Math.abs(bitpix as number) / 8) * gcount * (pcount + pixels);
  const extname = header.get("EXTNAME");
  return {
    kind: kindOf(header, primary),
    shape: Object.freeze(shape),
    dataSize,
    name: typeof extname === "string" ? extname : undefined,
  };
}

function countOf(header: FitsHeader, key: string, fallback: number, where: FitsLocation): number {
  const value = header.get(key) ?? fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw fitsError(`Invalid ${key} ${String(value)} in FITS header`, where);
  }
  return value;
}

function kindOf(header: FitsHeader, primary: boolean): FitsHduKind {
  if (primary) return "image";
  const xtension = String(header.get("XTENSION")).trim();
  if (xtension === "IMAGE") return "image";
  if (xtension === "BINTABLE") return header.get("ZIMAGE") === true ? "compressed-image" : "bintable";
  if (xtension === "TABLE") return "table";
  return "other";
}
