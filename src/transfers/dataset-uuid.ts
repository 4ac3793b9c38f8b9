import { createHash } from "node:crypto";

// daf_butler's namespace for the UUIDs it gives integer dataset IDs of old export files
// (`_RefMapper` in transfers/_yaml.py): uuid3(namespace, str(id)), so both butlers agree.
const INTEGER_ID_NAMESPACE = Uint8Array.from(Buffer.from("4d4851f428904d4187795f38a3f5062b", "hex"));

/**
 * A UUID in canonical form (lowercase, hyphenated) from any form Python's `uuid.UUID(hex=...)` accepts
 * (`{...}`, `urn:uuid:` prefixes, upper case, missing hyphens), or undefined when `text` is not a UUID.
 */
export function normalizeUuid(text: string): string | undefined {
  const hex = text
    .replace("urn:", "")
    .replace("uuid:", "")
    .replace(/^\{+|\}+$/g, "")
    .replaceAll("-", "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  return formatUuid(hex.toLowerCase());
}

/**
 * The deterministic UUID daf_butler assigns to integer dataset ID `id` of a very old export file:
 * version 3 (MD5) in namespace `4d4851f4-2890-4d41-8779-5f38a3f5062b` with the decimal ID as the name.
 */
export function uuidForIntegerId(id: number): string {
  const digest = createHash("md5").update(INTEGER_ID_NAMESPACE).update(String(id), "utf8").digest();
  digest[6] = ((digest[6] as number) & 0x0f) | 0x30;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  return formatUuid(digest.subarray(0, 16).toString("hex"));
}

function formatUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
