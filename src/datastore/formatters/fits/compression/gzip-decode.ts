import { gunzipSync } from "node:zlib";

/**
 * Gunzips a tile (GZIP_1), or gunzips and un-shuffles it (GZIP_2 stores all first bytes of the
 * `width`-byte values, then all second bytes, …), to exactly `length` bytes.
 * @throws the error `fail(reason)` makes when the stream is not gzip, is cut short, or inflates to a
 *   length other than `length`.
 */
export function gzipDecode(
  input: Uint8Array,
  length: number,
  width: number,
  shuffled: boolean,
  fail: (reason: string, cause?: unknown) => Error,
): Uint8Array {
  let bytes: Uint8Array;
  try {
    // One byte over the expected length is enough to tell a stream that is too long, without inflating it all.
    bytes = gunzipSync(input, { maxOutputLength: length + 1 });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw fail(`gzip data inflates to more than the ${length} bytes expected`, error);
    }
    throw fail(`gzip data is invalid (${(error as Error).message})`, error);
  }
  if (bytes.length !== length) throw fail(`gzip data inflates to ${bytes.length} bytes, expected ${length}`);
  if (!shuffled || width === 1) return bytes;
  const n = length / width;
  const out = new Uint8Array(length);
  for (let j = 0; j < width; j++) {
    for (let i = 0; i < n; i++) out[i * width + j] = bytes[j * n + i] as number;
  }
  return out;
}
