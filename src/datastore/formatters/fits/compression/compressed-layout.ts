import { FormatterError } from "../../../../errors.ts";
import { fitsWhere } from "../bintable-format.ts";
import {
  type BinaryTableColumnLayout,
  type BinaryTableLayout,
  binaryTableLayout,
  integerKey,
  show,
} from "../bintable-layout.ts";
import type { FitsHeaderLookup, FitsLocation, FitsValue } from "../fits-types.ts";

/** Compression algorithms this reader decodes (`RICE_ONE` is read as `RICE_1`). */
export type TileCompression = "RICE_1" | "GZIP_1" | "GZIP_2" | "NOCOMPRESS";

/** Everything a tile decoder needs from a compressed image's header, checked once. */
export interface CompressedImageLayout {
  readonly table: BinaryTableLayout;
  /** `ZBITPIX`. */
  readonly bitpix: 8 | 16 | 32 | 64 | -32 | -64;
  /** `ZNAXISn`, fastest axis first. */
  readonly shape: readonly number[];
  /** `ZTILEn` (default: whole rows). */
  readonly tile: readonly number[];
  /** Tiles along each axis. */
  readonly grid: readonly number[];
  readonly compression: TileCompression;
  readonly blockSize: number;
  readonly bytePix: 1 | 2 | 4 | 8;
  /** `ZQUANTIZ` of a quantized float image; undefined for integer or losslessly stored images. */
  readonly quantize: "NO_DITHER" | "SUBTRACTIVE_DITHER_1" | "SUBTRACTIVE_DITHER_2" | undefined;
  readonly dither0: number;
  readonly columns: {
    readonly compressed: BinaryTableColumnLayout;
    readonly uncompressed?: BinaryTableColumnLayout;
    readonly gzipCompressed?: BinaryTableColumnLayout;
    readonly scale?: BinaryTableColumnLayout;
    readonly zero?: BinaryTableColumnLayout;
    readonly blank?: BinaryTableColumnLayout;
  };
  /** `ZSCALE`/`ZZERO`/`ZBLANK` given as keywords instead of columns. */
  readonly keywords: { readonly scale?: number; readonly zero?: number; readonly blank?: number };
}

const BITPIX = new Set([8, 16, 32, 64, -32, -64]);

/**
 * Reads and checks the tiled-image keywords of a `ZIMAGE = T` binary table.
 * @throws {FormatterError} when the header is not a compressed image, uses an algorithm this reader
 *   does not decode, or has inconsistent tiling; also for the table errors of `binaryTableLayout`.
 */
export function compressedImageLayout(
  header: FitsHeaderLookup,
  dataLength: number | undefined,
  location: FitsLocation = {},
): CompressedImageLayout {
  const fail = (message: string, hint?: string) =>
    new FormatterError(message, { ...fitsWhere(location, 0), ...(hint === undefined ? {} : { hint }) });
  if (header.get("ZIMAGE") !== true) throw fail("Expected a tile-compressed image (ZIMAGE = T), found none");
  const table = binaryTableLayout(header, dataLength, location);
  const bitpix = header.get("ZBITPIX");
  if (typeof bitpix !== "number" || !BITPIX.has(bitpix)) throw fail(`Invalid ZBITPIX = ${show(bitpix)}`);
  const naxis = integerKey(header, "ZNAXIS", location);
  const shape = Array.from({ length: naxis }, (_, i) => integerKey(header, `ZNAXIS${i + 1}`, location));
  const tile = shape.map((length, i) => integerKey(header, `ZTILE${i + 1}`, location, i === 0 ? length : 1));
  if (tile.some((size) => size === 0) && shape.every((length) => length > 0)) throw fail("A ZTILEn is 0");
  const grid = shape.map((length, i) => (length === 0 ? 0 : Math.ceil(length / (tile[i] as number))));
  const tiles = grid.reduce((product, n) => product * n, naxis === 0 ? 0 : 1);
  if (tiles !== table.rows) {
    throw fail(
      `The compressed image has ${table.rows} table rows for ${tiles} tiles of ZTILEn = [${tile.join(", ")}]`,
    );
  }
  const type = trimmed(header.get("ZCMPTYPE"));
  const compression = type === "RICE_ONE" ? "RICE_1" : type;
  if (
    compression !== "RICE_1" &&
    compression !== "GZIP_1" &&
    compression !== "GZIP_2" &&
    compression !== "NOCOMPRESS"
  ) {
    throw fail(
      `Cannot decompress ZCMPTYPE = ${show(type)}`,
      "butler-ts decodes RICE_1, GZIP_1, GZIP_2 and NOCOMPRESS tiles; HCOMPRESS_1 and PLIO_1 are not supported.",
    );
  }
  const parameters = compressionParameters(header);
  const bytePix = parameters.BYTEPIX ?? (bitpix > 0 ? bitpix / 8 : 4);
  if (bytePix !== 1 && bytePix !== 2 && bytePix !== 4 && bytePix !== 8)
    throw fail(`Invalid BYTEPIX = ${bytePix}`);
  const column = (name: string) => table.columns.find((c) => c.name.toUpperCase() === name);
  const compressed = column("COMPRESSED_DATA");
  if (compressed === undefined || compressed.format.heap === undefined) {
    throw fail("The compressed image has no variable-length COMPRESSED_DATA column");
  }
  const keyword = (key: string) => {
    const value = header.get(key);
    return typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : undefined;
  };
  const columns = {
    compressed,
    ...optional("uncompressed", column("UNCOMPRESSED_DATA")),
    ...optional("gzipCompressed", column("GZIP_COMPRESSED_DATA")),
    ...optional("scale", column("ZSCALE")),
    ...optional("zero", column("ZZERO")),
    ...optional("blank", column("ZBLANK")),
  };
  const keywords = {
    ...optional("scale", keyword("ZSCALE")),
    ...optional("zero", keyword("ZZERO")),
    ...optional("blank", keyword("ZBLANK")),
  };
  const method = trimmed(header.get("ZQUANTIZ"));
  const quantized =
    bitpix < 0 && (columns.scale !== undefined || keywords.scale !== undefined) && method !== "NONE";
  if (
    quantized &&
    method !== undefined &&
    method !== "NO_DITHER" &&
    method !== "SUBTRACTIVE_DITHER_1" &&
    method !== "SUBTRACTIVE_DITHER_2"
  ) {
    throw fail(`Cannot restore ZQUANTIZ = ${show(method)}`);
  }
  return {
    table,
    bitpix: bitpix as CompressedImageLayout["bitpix"],
    shape,
    tile,
    grid,
    compression,
    blockSize: parameters.BLOCKSIZE ?? 32,
    bytePix,
    quantize: quantized ? ((method ?? "NO_DITHER") as CompressedImageLayout["quantize"]) : undefined,
    dither0: keyword("ZDITHER0") ?? 1,
    columns,
    keywords,
  };
}

/** `ZNAMEi`/`ZVALi` pairs, such as BLOCKSIZE and BYTEPIX for RICE_1. */
function compressionParameters(header: FitsHeaderLookup): Record<string, number> {
  const parameters: Record<string, number> = {};
  for (let i = 1; i < 1000; i++) {
    const name = header.get(`ZNAME${i}`);
    if (typeof name !== "string") break;
    const value = header.get(`ZVAL${i}`);
    if (typeof value === "number") parameters[name.trim().toUpperCase()] = value;
  }
  return parameters;
}

function trimmed(value: FitsValue | undefined): FitsValue | undefined {
  return typeof value === "string" ? value.trim() : value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
