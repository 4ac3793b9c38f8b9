import type { RecordValue } from "../dimensions/dimension-record.ts";
import { ExportFormatError, InvalidTimeError } from "../errors.ts";
import { type ParseTimeOptions, parseTime } from "../time/parse-time.ts";
import { Timespan } from "../time/timespan.ts";
import { didYouMean } from "../util/suggest.ts";
import { base64ToBytes, hexToBytes } from "./byte-text.ts";
import { normalizeUuid, uuidForIntegerId } from "./dataset-uuid.ts";
import { isRegionTag, regionTag } from "./region-tag.ts";
import { BINARY_TAG, CORE_TAG, Tagged, TIMESTAMP_TAG, type YamlMap, type YamlValue } from "./yaml-value.ts";

/** daf_butler's tag for a time: TAI, ISO format with nanoseconds. */
export const TIME_TAG = "!butler_time/tai/iso";
/** daf_butler's tag for a timespan (a mapping `{begin, end}`, or the scalar `EMPTY`). */
export const TIMESPAN_TAG = "!lsst.daf.butler.Timespan";
/** An older name of {@link TIMESPAN_TAG}, still read. */
const LEGACY_TIMESPAN_TAG = "!butler_timespan";

const YAML_TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?(?:[ \t]*(Z|([-+])(\d{1,2})(?::(\d{2}))?))?)?$/;

/**
 * Reads the plain values of an export file into typed ones. Every method that checks a value throws
 * an {@link ExportFormatError} naming the file, the path of the value (`data[3].records[0].datetime_end`)
 * and the value itself when it is not what the format allows.
 */
export class ValueReader {
  /** Name of the file, for messages. */
  readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  /** @throws {ExportFormatError} always, naming the file and `path`. */
  fail(path: string, message: string, hint?: string): never {
    throw new ExportFormatError(`Cannot read export file ${this.source}: ${path}: ${message}`, { hint });
  }

  /** `value` as a mapping. @throws {ExportFormatError} when it is not one. */
  mapping(value: YamlValue, path: string): YamlMap {
    return value instanceof Map ? value : this.fail(path, `expected a mapping, got ${show(value)}`);
  }

  /** `value` as a list. @throws {ExportFormatError} when it is not one. */
  list(value: YamlValue, path: string): YamlValue[] {
    return Array.isArray(value) ? value : this.fail(path, `expected a list, got ${show(value)}`);
  }

  /**
   * Check that `map` (described as `what` in messages) has every required key and no other key than
   * `required` and `optional` ones.
   * @throws {ExportFormatError} naming the first missing or unknown key.
   */
  keys(
    map: YamlMap,
    path: string,
    what: string,
    required: readonly string[],
    optional: readonly string[] = [],
  ): void {
    for (const key of required) {
      if (!map.has(key)) this.fail(path, `missing key "${key}" in ${what}`);
    }
    for (const key of map.keys()) {
      if (!required.includes(key) && !optional.includes(key)) {
        const known = [...required, ...optional];
        this.fail(
          path,
          `unknown key "${key}" in ${what}`,
          didYouMean(key, known) ?? `Keys: ${known.join(", ")}.`,
        );
      }
    }
  }

  /** `value` as a string. @throws {ExportFormatError} when it is not one. */
  string(value: YamlValue, path: string): string {
    return typeof value === "string" ? value : this.fail(path, `expected a string, got ${show(value)}`);
  }

  /** `value` as a string, or null when absent or null. @throws {ExportFormatError} for anything else. */
  optionalString(value: YamlValue | undefined, path: string): string | null {
    return value === undefined || value === null ? null : this.string(value, path);
  }

  /** `value` as a list of strings. @throws {ExportFormatError} when it is not one. */
  stringList(value: YamlValue, path: string): string[] {
    return this.list(value, path).map((item, i) => this.string(item, `${path}[${i}]`));
  }

  /**
   * A dataset ID: `!uuid`-tagged (or plain) UUID text, normalized, or an integer from a very old file
   * (given daf_butler's UUID for it). @throws {ExportFormatError} for anything else.
   */
  datasetId(value: YamlValue, path: string): string {
    if (typeof value === "number" && Number.isSafeInteger(value)) return uuidForIntegerId(value);
    const text = value instanceof Tagged && value.tag === "!uuid" ? value.value : value;
    const uuid = typeof text === "string" ? normalizeUuid(text) : undefined;
    return uuid ?? this.fail(path, `expected a dataset ID (a !uuid or an integer), got ${show(value)}`);
  }

  /** A time in TAI nanoseconds: `!butler_time/tai/iso`, or a plain YAML timestamp (UTC); null stays null. */
  #time(value: YamlValue, path: string): bigint | null {
    if (value === null) return null;
    if (value instanceof Tagged && typeof value.value === "string") {
      if (value.tag === TIME_TAG) return this.#parseTime(value.value, path, { format: "iso", scale: "tai" });
      if (value.tag === TIMESTAMP_TAG) return this.#yamlTimestamp(value.value, path);
    }
    return this.fail(path, `expected a time (${TIME_TAG} or a YAML timestamp), got ${show(value)}`);
  }

  /** A `!lsst.daf.butler.Timespan` value. @throws {ExportFormatError} for anything else. */
  timespan(value: YamlValue, path: string): Timespan {
    if (!(value instanceof Tagged) || (value.tag !== TIMESPAN_TAG && value.tag !== LEGACY_TIMESPAN_TAG)) {
      return this.fail(path, `expected a ${TIMESPAN_TAG}, got ${show(value)}`);
    }
    if (value.value === "EMPTY") return Timespan.empty();
    const bounds = this.mapping(value.value, path);
    this.keys(bounds, path, "a timespan", ["begin", "end"]);
    return this.timespanBetween(bounds, path, "begin", "end");
  }

  /**
   * The timespan `[begin, end)` from the times (null: unbounded) under two keys of `map`.
   * @throws {ExportFormatError} for a value that is not a time, or bounds no timespan can have.
   */
  timespanBetween(map: YamlMap, path: string, beginKey: string, endKey: string): Timespan {
    const beginNs = this.#time(map.get(beginKey) ?? null, `${path}.${beginKey}`);
    const endNs = this.#time(map.get(endKey) ?? null, `${path}.${endKey}`);
    try {
      return Timespan.between(beginNs, endNs);
    } catch (error) {
      if (error instanceof InvalidTimeError) this.fail(path, error.message, error.hint);
      throw error;
    }
  }

  /**
   * A dimension record value other than a timespan given as `datetime_begin`/`datetime_end`: a scalar,
   * region or `!!binary` bytes, or a timespan. @throws {ExportFormatError} for anything else.
   */
  recordValue(value: YamlValue, path: string): RecordValue {
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (typeof value === "number") return value;
    if (value instanceof Tagged) {
      if (isRegionTag(value.tag)) return this.#region(value, path);
      if (value.tag === BINARY_TAG && typeof value.value === "string") {
        return base64ToBytes(value.value) ?? this.fail(path, `invalid base64 in ${show(value)}`);
      }
      if (value.tag === TIMESPAN_TAG || value.tag === LEGACY_TIMESPAN_TAG) return this.timespan(value, path);
    }
    return this.fail(
      path,
      `expected a number, string, boolean, null, bytes, region or timespan, got ${show(value)}`,
    );
  }

  #region(value: Tagged, path: string): Uint8Array {
    const fields =
      value.value instanceof Map
        ? value.value
        : this.fail(path, `expected {encoded: <hex>}, got ${show(value)}`);
    this.keys(fields, path, "a region", ["encoded"]);
    const encoded = fields.get("encoded") ?? null;
    const bytes = typeof encoded === "string" ? hexToBytes(encoded) : undefined;
    if (bytes === undefined || regionTag(bytes) === undefined) {
      const why = bytes === undefined ? "expected hex digits" : "expected a sphgeom region encoding";
      return this.fail(`${path}.encoded`, `${why}, got ${show(encoded)}`);
    }
    return bytes;
  }

  #yamlTimestamp(text: string, path: string): bigint {
    const m = YAML_TIMESTAMP.exec(text) ?? this.fail(path, `invalid timestamp ${show(text)}`);
    const pad = (part: string | undefined) => (part ?? "0").padStart(2, "0");
    // PyYAML keeps microseconds only; daf_butler reads what PyYAML gives it.
    const fraction = (m[7] ?? "").slice(0, 6).padEnd(6, "0");
    const iso = `${m[1]}-${pad(m[2])}-${pad(m[3])}T${pad(m[4])}:${pad(m[5])}:${pad(m[6])}.${fraction}`;
    const utc = this.#parseTime(iso, path, { format: "isot", scale: "utc" });
    if (m[9] === undefined) return utc;
    const offsetMinutes = Number(m[10]) * 60 + Number(m[11] ?? 0);
    return utc - BigInt((m[9] === "-" ? -offsetMinutes : offsetMinutes) * 60) * 1_000_000_000n;
  }

  #parseTime(text: string, path: string, options: ParseTimeOptions): bigint {
    try {
      return parseTime(text, options);
    } catch (error) {
      if (error instanceof InvalidTimeError) this.fail(path, error.message, error.hint);
      throw error;
    }
  }
}

/** A short rendering of a value for messages: `"abc"`, `42`, `!uuid "x"`, `a list`, `a mapping`. */
export function show(value: YamlValue | undefined): string {
  if (value === undefined) return "nothing";
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value instanceof Tagged) {
    const tag = value.tag.startsWith(CORE_TAG)
      ? `!!${value.tag.slice(CORE_TAG.length)}`
      : value.tag.startsWith("!")
        ? value.tag
        : `!<${value.tag}>`;
    return `${tag} ${show(value.value)}`;
  }
  return Array.isArray(value) ? `a list of ${value.length}` : "a mapping";
}
