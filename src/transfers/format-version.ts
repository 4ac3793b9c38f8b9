import { show, type ValueReader } from "./value-reader.ts";
import type { YamlValue } from "./yaml-value.ts";

/** The export format version butler-ts writes: daf_butler's `EXPORT_FORMAT_VERSION`. */
export const EXPORT_FORMAT_VERSION = "1.0.2";

const [MAJOR, MINOR] = EXPORT_FORMAT_VERSION.split(".").map(Number) as [number, number];

/**
 * The `major.minor.patch` form of an export file's `version` header: the legacy integer 0 reads as
 * 1.0.0; other versions must have our major and a minor no newer than ours, as in daf_butler.
 * @throws {ExportFormatError} for any other value.
 */
export function readFormatVersion(value: YamlValue, reader: ValueReader): string {
  if (value === 0) return "1.0.0";
  const match = typeof value === "string" ? /^(\d+)\.(\d+)\.(\d+)$/.exec(value) : null;
  const [major, minor, patch] = match === null ? [] : [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major !== MAJOR || minor === undefined || minor > MINOR) {
    return reader.fail(
      "version",
      `unsupported export format version ${show(value)}`,
      `butler-ts reads format versions ${MAJOR}.0.0 to ${MAJOR}.${MINOR}.x (and the legacy 0).`,
    );
  }
  return `${major}.${minor}.${patch}`;
}
