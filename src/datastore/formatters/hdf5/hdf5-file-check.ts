import { FormatterError } from "../../../errors.ts";
import type { ByteSource } from "../formatter.ts";

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** Enough of a superblock to reach its end-of-file address with 8-byte offsets. */
const SUPERBLOCK_HEAD = 64;

function littleEndian(bytes: Uint8Array, at: number, size: number): bigint | undefined {
  if (at + size > bytes.length) return undefined;
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[at + i] as number);
  return value === (1n << BigInt(size * 8)) - 1n ? undefined : value;
}

/** The base and end-of-file addresses a superblock records (undefined when it does not say). */
function addresses(head: Uint8Array): { base: bigint; eof: bigint } | undefined {
  const version = head[8];
  let sizeOfOffsets: number | undefined;
  let baseAt: number;
  if (version === 0 || version === 1) {
    sizeOfOffsets = head[13];
    baseAt = version === 0 ? 24 : 28;
  } else if (version === 2 || version === 3) {
    sizeOfOffsets = head[9];
    baseAt = 12;
  } else {
    return undefined;
  }
  if (sizeOfOffsets !== 2 && sizeOfOffsets !== 4 && sizeOfOffsets !== 8) return undefined;
  const base = littleEndian(head, baseAt, sizeOfOffsets);
  const eof = littleEndian(head, baseAt + 2 * sizeOfOffsets, sizeOfOffsets);
  return base === undefined || eof === undefined ? undefined : { base, eof };
}

/**
 * Check that an artifact is an HDF5 file and not cut short, before libhdf5 sees it: its signature is at
 * byte 0 (or 512, 1024, ... after a user block) and it is as long as its superblock says.
 * @throws {FormatterError} for a file that is not HDF5 or is truncated.
 */
export async function checkHdf5File(source: ByteSource, file: string | undefined): Promise<void> {
  const where = file === undefined ? {} : { file };
  const size = await source.size();
  for (let offset = 0; offset + SIGNATURE.length <= size; offset = offset === 0 ? 512 : offset * 2) {
    const head = await source.read(offset, Math.min(offset + SUPERBLOCK_HEAD, size));
    if (!SIGNATURE.every((b, i) => head[i] === b)) continue;
    const found = addresses(head);
    if (found !== undefined && BigInt(size) < found.base + found.eof) {
      throw new FormatterError(
        `Cannot read HDF5: the file is truncated (${size} bytes of ${found.base + found.eof})`,
        {
          ...where,
          hint: "The file was cut short, perhaps by an interrupted copy; write or fetch it again.",
        },
      );
    }
    return;
  }
  throw new FormatterError("Cannot read HDF5: the file has no HDF5 signature", {
    ...where,
    offset: 0,
    hint: "The file is not HDF5: it may be in another format, or empty.",
  });
}
