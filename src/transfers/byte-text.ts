const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bytes of an even-length hex string, or undefined when it is not one. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const high = hexDigit(hex.charCodeAt(2 * i));
    const low = hexDigit(hex.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return undefined;
    bytes[i] = high * 16 + low;
  }
  return bytes;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** Lowercase hex digits of `bytes`, as Python's `bytes.hex()` writes them. */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** The bytes of base64 text (line breaks and spaces ignored, as YAML's `!!binary`), or undefined. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  const compact = text.replace(/[ \t\r\n]/g, "");
  if (!BASE64.test(compact) || compact.length % 4 !== 0) return undefined;
  return Uint8Array.from(Buffer.from(compact, "base64"));
}

/** Base64 of `bytes` in lines of 76 characters, each ending in a newline (Python's `base64.encodebytes`). */
export function bytesToBase64Lines(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let lines = "";
  for (let start = 0; start < text.length; start += 76) lines += `${text.slice(start, start + 76)}\n`;
  return lines;
}
