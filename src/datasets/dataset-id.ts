import { createHash } from "node:crypto";
import type { DataCoordinate } from "../dimensions/data-coordinate.ts";

/** How a new dataset's ID is made: random-ish and time-ordered, or derived from what it is (UUIDv5). */
export type DatasetIdGenerationMode = "UNIQUE" | "DATAID_TYPE" | "DATAID_TYPE_RUN";

/** Every ID generation mode, as daf_butler's CLI spells them. */
export const DATASET_ID_GENERATION_MODES: readonly DatasetIdGenerationMode[] = Object.freeze([
  "UNIQUE",
  "DATAID_TYPE",
  "DATAID_TYPE_RUN",
]);

/** daf_butler's namespace for deterministic IDs: uuid5(NAMESPACE_DNS, "lsst.org"). */
const LSST_NAMESPACE = hexToBytes("840b31d905cd5161b2c800d32b280d0f");

const HEX = /^[0-9a-f]{32}$/;

/** A UUID in canonical form: lowercase, hyphenated (`e15ab039-bc8b-4135-87c5-90902a7c0b22`). */
export function formatUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 32 lowercase hex digits of a UUID given in any usual form, or undefined when it is not one. */
export function uuidHex(text: string): string | undefined {
  const hex = text
    .trim()
    .toLowerCase()
    .replace(/^urn:uuid:/, "")
    .replace(/[{}-]/g, "");
  return HEX.test(hex) ? hex : undefined;
}

/** A canonical UUID from the 32 hex digits a SQLite registry stores (CHAR(32)). */
export function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Random bytes drawn in bulk: one call to the system's generator serves 256 IDs. */
const randomPool = new Uint8Array(4096);
let randomOffset = randomPool.length;

function randomBytes16(): Uint8Array {
  if (randomOffset + 16 > randomPool.length) {
    crypto.getRandomValues(randomPool);
    randomOffset = 0;
  }
  const bytes = randomPool.slice(randomOffset, randomOffset + 16);
  randomOffset += 16;
  return bytes;
}

/** A new UUIDv7: 48 bits of Unix milliseconds, then random bits, so IDs made later sort later. */
export function newDatasetId(nowMs = Date.now()): string {
  const bytes = randomBytes16();
  let ms = nowMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/** RFC 4122 name-based UUID (version 5, SHA-1) of `name` in `namespace`. */
export function uuid5(namespace: Uint8Array, name: string): string {
  const digest = createHash("sha1").update(namespace).update(name, "utf8").digest();
  const bytes = new Uint8Array(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/**
 * The deterministic ID daf_butler gives a dataset in the `DATAID_TYPE` and `DATAID_TYPE_RUN` modes:
 * uuid5 of `dataset_type=<name>[,run=<run>],<dim>=<value>,...` over the required values sorted by
 * dimension name; the same dataset ingested into two repositories gets the same ID.
 * @example deterministicDatasetId("bias", dataId, "DATAID_TYPE") // "4fa35c72-f4a9-5106-8947-b65ef4096e96" for Cam1 detector 1
 */
export function deterministicDatasetId(
  datasetTypeName: string,
  dataId: DataCoordinate,
  mode: Exclude<DatasetIdGenerationMode, "UNIQUE">,
  run?: string,
): string {
  const parts = [`dataset_type=${datasetTypeName}`];
  if (mode === "DATAID_TYPE_RUN") parts.push(`run=${run}`);
  const required = Object.entries(dataId.requireComplete().required).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  for (const [name, value] of required) parts.push(`${name}=${value}`);
  return uuid5(LSST_NAMESPACE, parts.join(","));
}
