import { InvalidTimeError } from "../errors.ts";
import { daysFromCivil, daysInMonth, MJD_1970 } from "./calendar.ts";
import { floorDiv } from "./floor-div.ts";
import { NS_PER_DAY, NS_PER_SECOND, utcClockDayLengthNs, utcToTaiNs } from "./leap-seconds.ts";
import { checkTaiRange, type OutOfRangePolicy } from "./tai-range.ts";

/** Time scales butler-ts converts between. TT = TAI + 32.184 s. */
export type TimeScale = "tai" | "utc" | "tt";
/** Input formats of daf_butler's time literals that butler-ts understands. */
export type TimeFormat = "iso" | "isot" | "fits" | "yday" | "mjd" | "jd" | "unix";

/** Every supported time scale. */
export const TIME_SCALES: readonly TimeScale[] = Object.freeze(["tai", "utc", "tt"]);
/** Every supported input format. */
export const TIME_FORMATS: readonly TimeFormat[] = Object.freeze([
  "iso",
  "isot",
  "fits",
  "yday",
  "mjd",
  "jd",
  "unix",
]);

/** TT − TAI, exactly 32.184 s. */
export const TT_MINUS_TAI_NS = 32_184_000_000n;

/** Options of {@link parseTime}. */
export interface ParseTimeOptions {
  /** Format of the text; detected from its shape when absent (daf_butler's rules). */
  readonly format?: TimeFormat;
  /** Scale of the text when it does not say; otherwise the format's default (UTC for calendar forms, TAI for MJD/JD). */
  readonly scale?: TimeScale;
  /** What to do with a time outside 1970–2100 TAI (default: reject). */
  readonly outOfRange?: OutOfRangePolicy;
}

const DEFAULT_SCALE: Readonly<Record<TimeFormat, TimeScale>> = {
  iso: "utc",
  isot: "utc",
  fits: "utc",
  yday: "utc",
  unix: "utc",
  mjd: "tai",
  jd: "tai",
};

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:([ T])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d*))?)?)?(Z|\+00:00)?$/;
const FITS = /^([+-]\d{4,5}|\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d*))?)?)?$/;
const YDAY = /^(\d{4}):(\d{3})(?::(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d*))?)?)?$/;

function fail(text: string, why: string, hint?: string): never {
  throw new InvalidTimeError(`Cannot parse time "${text}": ${why}`, { hint });
}

/**
 * Parse a time into TAI nanoseconds since 1970-01-01 00:00:00 TAI.
 *
 * Accepts the contents of daf_butler's time literals: an optional `format/` prefix and `/scale` suffix
 * around ISO-8601 (`2020-03-30 12:20:33`, `2020-03-30T12:20:33.5`), FITS, year-day (`2020:090:12:20:33`),
 * MJD (`58938.515`), JD or Unix seconds. Leap seconds are honoured (`2016-12-31T23:59:60` UTC).
 *
 * @example parseTime("mjd/58938.515/tai")
 * @throws {InvalidTimeError} when the text is malformed, names an unknown format or scale, or lies outside
 *   1970–2100 TAI (unless `outOfRange` is `"clamp"`).
 */
export function parseTime(text: string, options: ParseTimeOptions = {}): bigint {
  const trimmed = text.trim();
  let value = trimmed;
  let format = options.format;
  let scale: TimeScale | undefined;
  const parts = trimmed.split("/");
  if (parts.length > 3) fail(text, "expected at most FORMAT/VALUE/SCALE");
  if (parts.length === 3) {
    format = checkFormat(text, parts[0] as string);
    value = parts[1] as string;
    scale = checkScale(text, parts[2] as string);
  } else if (parts.length === 2) {
    const [first, second] = parts as [string, string];
    if ((TIME_FORMATS as readonly string[]).includes(first.toLowerCase())) {
      format = checkFormat(text, first);
      value = second;
    } else {
      value = first;
      scale = checkScale(text, second);
    }
  }
  value = value.trim();
  format ??= detectFormat(text, value);
  scale ??= options.scale ?? DEFAULT_SCALE[format];
  const ns = toTaiNs(text, value, format, scale);
  return checkTaiRange(ns, text, options.outOfRange);
}

function checkFormat(text: string, name: string): TimeFormat {
  const lower = name.trim().toLowerCase();
  if ((TIME_FORMATS as readonly string[]).includes(lower)) return lower as TimeFormat;
  return fail(text, `unknown time format "${name}"`, `Supported formats: ${TIME_FORMATS.join(", ")}.`);
}

function checkScale(text: string, name: string): TimeScale {
  const lower = name.trim().toLowerCase();
  if ((TIME_SCALES as readonly string[]).includes(lower)) return lower as TimeScale;
  return fail(text, `unsupported time scale "${name}"`, `Supported scales: ${TIME_SCALES.join(", ")}.`);
}

function detectFormat(text: string, value: string): TimeFormat {
  if (NUMBER.test(value)) return "mjd";
  if (ISO.test(value)) return value.includes("T") ? "isot" : "iso";
  if (FITS.test(value)) return "fits";
  if (YDAY.test(value)) return "yday";
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}$/.test(value))
    fail(text, "times with an hour but no minutes are not supported");
  if (/[+-]\d{2}:?\d{2}$|[A-Za-z]{3,}$/.test(value) && /\d{2}:\d{2}/.test(value)) {
    fail(text, "only UTC offsets of +00:00 are supported", "Convert the time to UTC or TAI first.");
  }
  return fail(
    text,
    "not a recognised time format",
    "Use ISO-8601 (2020-03-30T12:20:33), MJD (58938.515), or FORMAT/VALUE/SCALE such as mjd/58938.515/tai.",
  );
}

function toTaiNs(text: string, value: string, format: TimeFormat, scale: TimeScale): bigint {
  switch (format) {
    case "mjd":
      return fromDayCount(text, value, scale, BigInt(MJD_1970) * NS_PER_DAY);
    case "jd":
      return fromDayCount(text, value, scale, 2_440_587n * NS_PER_DAY + NS_PER_DAY / 2n);
    case "unix": {
      if (scale !== "utc") fail(text, `Unix time is defined in UTC only, not ${scale.toUpperCase()}`);
      const total = scaledDecimal(text, value, NS_PER_SECOND);
      const days = floorDiv(total, NS_PER_DAY);
      return fromCalendarNs(text, Number(days), total - days * NS_PER_DAY, "utc");
    }
    case "iso":
    case "isot":
    case "fits":
    case "yday":
      return fromCalendarText(text, value, format, scale);
  }
}

/** A count of days (MJD or JD) since `epochNs` before 1970, read exactly from its decimal text. */
function fromDayCount(text: string, value: string, scale: TimeScale, epochNs: bigint): bigint {
  if (!NUMBER.test(value)) fail(text, `"${value}" is not a number`);
  const sinceEpoch = scaledDecimal(text, value, NS_PER_DAY) - epochNs;
  const days = floorDiv(sinceEpoch, NS_PER_DAY);
  const fraction = sinceEpoch - days * NS_PER_DAY;
  if (scale !== "utc") return fromCalendarNs(text, Number(days), fraction, scale);
  // A UTC day fraction is a fraction of that day's UTC-clock length (86,401 s on a leap-second day).
  const clockLength = utcClockDayLengthNs(MJD_1970 + Number(days)) ?? NS_PER_DAY;
  return fromCalendarNs(text, Number(days), (fraction * clockLength) / NS_PER_DAY, "utc");
}

function fromCalendarText(text: string, value: string, format: TimeFormat, scale: TimeScale): bigint {
  let year: number;
  let month: number;
  let day: number;
  let fields: Array<string | undefined>;
  if (format === "yday") {
    const m = YDAY.exec(value) ?? fail(text, `"${value}" is not a year-day time (YYYY:DDD[:HH:MM[:SS]])`);
    year = Number(m[1]);
    const dayOfYear = Number(m[2]);
    const yearLength = daysFromCivil(year + 1, 1, 1) - daysFromCivil(year, 1, 1);
    if (dayOfYear < 1 || dayOfYear > yearLength)
      fail(text, `day of year ${dayOfYear} does not exist in ${year}`);
    const date = daysFromCivil(year, 1, 1) + dayOfYear - 1;
    return fromParts(text, date, [m[3], m[4], m[5], m[6]], scale);
  }
  if (format === "fits") {
    const m = FITS.exec(value) ?? fail(text, `"${value}" is not a FITS time (YYYY-MM-DDTHH:MM:SS)`);
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    fields = [m[4], m[5], m[6], m[7]];
  } else {
    const m =
      ISO.exec(value) ?? fail(text, `"${value}" is not an ISO-8601 time (YYYY-MM-DD[THH:MM[:SS[.fff]]])`);
    if (format === "isot" && m[4] === " ") fail(text, `format isot needs a "T" between date and time`);
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    fields = [m[5], m[6], m[7], m[8]];
  }
  if (month < 1 || month > 12) fail(text, `month ${month} does not exist`);
  if (day < 1 || day > daysInMonth(year, month))
    fail(text, `day ${day} does not exist in ${year}-${pad2(month)}`);
  return fromParts(text, daysFromCivil(year, month, day), fields, scale);
}

function fromParts(text: string, days: number, fields: Array<string | undefined>, scale: TimeScale): bigint {
  const [hh, mm, ss, fraction] = fields;
  const hour = Number(hh ?? 0);
  const minute = Number(mm ?? 0);
  const second = Number(ss ?? 0);
  if (hour > 23) fail(text, `hour ${hour} does not exist`);
  if (minute > 59) fail(text, `minute ${minute} does not exist`);
  if (second > 60 || (second === 60 && scale !== "utc")) {
    fail(text, `second ${second} does not exist`, "Only a UTC time can be 23:59:60, during a leap second.");
  }
  const fractionNs = fraction ? scaledDecimal(text, `0.${fraction}`, NS_PER_SECOND) : 0n;
  const elapsed = BigInt(hour * 3600 + minute * 60 + second) * NS_PER_SECOND + fractionNs;
  if (second === 60) {
    const clockLength = utcClockDayLengthNs(MJD_1970 + days) ?? NS_PER_DAY;
    if (hour !== 23 || minute !== 59 || elapsed >= clockLength) {
      fail(
        text,
        "there was no leap second at that time",
        "Leap seconds occur only at 23:59:60 UTC on listed days.",
      );
    }
  }
  return fromCalendarNs(text, days, elapsed, scale);
}

/** TAI nanoseconds of `elapsedNs` after midnight of day `days` (since 1970-01-01) in `scale`. */
function fromCalendarNs(text: string, days: number, elapsedNs: bigint, scale: TimeScale): bigint {
  const sinceEpoch = BigInt(days) * NS_PER_DAY + elapsedNs;
  if (scale === "tai") return sinceEpoch;
  if (scale === "tt") return sinceEpoch - TT_MINUS_TAI_NS;
  const tai = utcToTaiNs(MJD_1970 + days, elapsedNs);
  if (tai === undefined) {
    return fail(text, "UTC is not defined before 1961", "Give the time in TAI (suffix /tai) instead.");
  }
  return tai;
}

/** Value of decimal `text` times `unit`, rounded to the nearest integer (halves away from zero). */
function scaledDecimal(original: string, text: string, unit: bigint): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return fail(original, `"${text}" is not a number`);
  const fraction = m[3] ?? "";
  const exponent = Number(m[4] ?? 0) - fraction.length;
  if (Math.abs(exponent) > 60) fail(original, `"${text}" is out of range`);
  let magnitude = BigInt(`${m[2] || "0"}${fraction}`) * unit;
  if (exponent >= 0) {
    magnitude *= 10n ** BigInt(exponent);
  } else {
    const divisor = 10n ** BigInt(-exponent);
    magnitude = (magnitude * 2n + divisor) / (2n * divisor);
  }
  return m[1] === "-" ? -magnitude : magnitude;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
