/** PostgreSQL's limit on identifier length, in bytes (NAMEDATALEN - 1). */
const MAX_IDENTIFIER_LENGTH = 63;
/** Bytes of the hash that ends a shrunk name (daf_butler's `NameShrinker` default). */
const HASH_BYTES = 4;

const MASK = (1n << 64n) - 1n;
const IV = [
  0x6a09e667f3bcc908n,
  0xbb67ae8584caa73bn,
  0x3c6ef372fe94f82bn,
  0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n,
  0x9b05688c2b3e6c1fn,
  0x1f83d9abfb41bd6bn,
  0x5be0cd19137e2179n,
];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
] as const;
/** Where each of the 8 mixing steps of a round works: four columns, then four diagonals. */
const LANES = [
  [0, 4, 8, 12],
  [1, 5, 9, 13],
  [2, 6, 10, 14],
  [3, 7, 11, 15],
  [0, 5, 10, 15],
  [1, 6, 11, 12],
  [2, 7, 8, 13],
  [3, 4, 9, 14],
] as const;

const rotr = (x: bigint, n: bigint) => ((x >> n) | (x << (64n - n))) & MASK;

function compress(h: bigint[], block: Uint8Array, counter: bigint, last: boolean): void {
  const view = new DataView(block.buffer, block.byteOffset, 128);
  const m = Array.from({ length: 16 }, (_, i) => view.getBigUint64(i * 8, true));
  const v = [...h, ...IV];
  v[12] = (v[12] as bigint) ^ counter;
  if (last) v[14] = (v[14] as bigint) ^ MASK;
  for (let round = 0; round < 12; round++) {
    const s = SIGMA[round % 10] as readonly number[];
    LANES.forEach(([a, b, c, d], step) => {
      const x = m[s[2 * step] as number] as bigint;
      const y = m[s[2 * step + 1] as number] as bigint;
      let va = v[a] as bigint;
      let vb = v[b] as bigint;
      let vc = v[c] as bigint;
      let vd = v[d] as bigint;
      va = (va + vb + x) & MASK;
      vd = rotr(vd ^ va, 32n);
      vc = (vc + vd) & MASK;
      vb = rotr(vb ^ vc, 24n);
      va = (va + vb + y) & MASK;
      vd = rotr(vd ^ va, 16n);
      vc = (vc + vd) & MASK;
      vb = rotr(vb ^ vc, 63n);
      [v[a], v[b], v[c], v[d]] = [va, vb, vc, vd];
    });
  }
  for (let i = 0; i < 8; i++) h[i] = (h[i] as bigint) ^ (v[i] as bigint) ^ (v[i + 8] as bigint);
}

/**
 * Unkeyed BLAKE2b (RFC 7693) with an output of `size` bytes, as Python's `hashlib.blake2b(digest_size=size)`
 * (Node's crypto only offers the 64-byte variant, and a shorter BLAKE2b is not a prefix of it).
 */
export function blake2b(data: Uint8Array, size: number): Uint8Array {
  const h = [...IV];
  h[0] = (h[0] as bigint) ^ (0x01010000n | BigInt(size));
  const blocks = Math.max(1, Math.ceil(data.length / 128));
  for (let i = 0; i < blocks; i++) {
    const block = new Uint8Array(128);
    block.set(data.subarray(i * 128, (i + 1) * 128));
    compress(h, block, BigInt(Math.min(data.length, (i + 1) * 128)), i === blocks - 1);
  }
  const out = new Uint8Array(64);
  const view = new DataView(out.buffer);
  for (const [i, word] of h.entries()) view.setBigUint64(i * 8, word, true);
  return out.slice(0, size);
}

/**
 * A generated name cut to PostgreSQL's 63 characters exactly as daf_butler's `NameShrinker` cuts it: the
 * start of the name, `_`, and the 4-byte BLAKE2b of the whole name in hex, so long names that share a
 * prefix stay distinct and match the constraint and index names of a daf_butler repository.
 * @example shrinkPostgresName("dataset_tags_00000001_unq_dataset_type_id_collection_id_instrument_detector_physical_filter")
 * // "dataset_tags_00000001_unq_dataset_type_id_collection_i_b331a4e3"
 */
export function shrinkPostgresName(name: string): string {
  if (name.length <= MAX_IDENTIFIER_LENGTH) return name;
  const hash = Buffer.from(blake2b(new TextEncoder().encode(name), HASH_BYTES)).toString("hex");
  return `${name.slice(0, MAX_IDENTIFIER_LENGTH - 2 * HASH_BYTES - 1)}_${hash}`;
}
