import type { AsyncBuffer, FileMetaData } from "hyparquet";
import { FormatterError } from "../../../errors.ts";
import type { ByteSource } from "../formatter.ts";
import { importParquetModule } from "./parquet-modules.ts";

/** A Parquet file's footer: its metadata, key-value metadata by key, and the file's size. */
export interface ParquetFooter {
  readonly metadata: FileMetaData;
  readonly keyValues: ReadonlyMap<string, string>;
  readonly size: number;
}

const MAGIC = 0x31524150; // "PAR1", little-endian

/**
 * The footer of the Parquet file in `source`, reading only its last bytes (the footer length and magic,
 * then the footer itself).
 * @throws {FormatterError} with the file and offset for bytes that are not Parquet (no `PAR1` magic), a
 * footer longer than the file (truncated) or one that cannot be decoded.
 */
export async function readParquetFooter(source: ByteSource, file?: string): Promise<ParquetFooter> {
  const where = file === undefined ? {} : { file };
  const hint = "The file is not a complete Parquet file: it may be truncated, or be in another format.";
  const size = await source.size();
  if (size < 12) {
    throw new FormatterError(`Cannot read Parquet: ${size} bytes is too short for a Parquet file`, {
      ...where,
      offset: 0,
      hint,
    });
  }
  const tail = await source.read(size - 8, size);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  if (view.getUint32(4, true) !== MAGIC) {
    throw new FormatterError('Cannot read Parquet: no "PAR1" magic at the end of the file', {
      ...where,
      offset: size - 4,
      hint,
    });
  }
  const length = view.getUint32(0, true);
  const start = size - 8 - length;
  if (start < 4) {
    throw new FormatterError(
      `Cannot read Parquet: the footer is ${length} bytes long but the file has only ${size}`,
      { ...where, offset: size - 8, hint },
    );
  }
  const footer = new Uint8Array(length + 8);
  footer.set(await source.read(start, size - 8));
  footer.set(tail, length);
  const { parquetMetadata } = await importParquetModule("hyparquet", () => import("hyparquet"));
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(footer.buffer);
  } catch (error) {
    throw new FormatterError(`Cannot read Parquet: invalid footer (${(error as Error).message})`, {
      ...where,
      offset: start,
      hint,
      cause: error,
    });
  }
  const keyValues = new Map((metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? ""]));
  return { metadata, keyValues, size };
}

/** hyparquet's file-like view of a byte source: each slice one range read. */
export function asyncBufferOf(source: ByteSource, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const bytes = await source.read(start, end ?? size);
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
        return bytes.buffer as ArrayBuffer;
      }
      return new Uint8Array(bytes).buffer;
    },
  };
}
