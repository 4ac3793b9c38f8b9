import type { ByteSource } from "../../src/datastore/formatters/formatter.ts";

const encoder = new TextEncoder();

/** A formatter's byte source over bytes in memory (a string is UTF-8 encoded). */
export function byteSource(bytes: Uint8Array | string): ByteSource {
  const data = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
  return { size: async () => data.length, read: async (s, e) => data.slice(s, e), readAll: async () => data };
}
