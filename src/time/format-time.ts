import { InvalidTimeError } from "../errors.ts";
import { civilFromDays, MJD_1970 } from "./calendar.ts";
import { floorDiv } from "./floor-div.ts";
import { NS_PER_DAY, NS_PER_SECOND, taiToUtc, utcClockDayLengthNs } from "./leap-seconds.ts";
import { type TimeScale, TT_MINUS_TAI_NS } from "./parse-time.ts";

/** Output formats of {@link formatTime}. */
export type TimeOutputFormat = "isot" | "iso" | "mjd";

/** Options of {@link formatTime}. */
export interface FormatTimeOptions {
  /** Scale to express the time in (default TAI, as daf_butler prints timespans). */
  readonly scale?: TimeScale;
  /** `isot` (`2020-03-30T12:20:33`), `iso` (space instead of `T`) or `mjd` (default `isot`). */
  readonly format?: TimeOutputFormat;
  /** Digits after the decimal point, 0–9 for seconds and 0–15 for MJD; extra digits are dropped. */
  readonly precision?: number;
}

/**
 * Format TAI nanoseconds (since 1970-01-01 00:00:00 TAI) as text; digits beyond `precision` are dropped,
 * never rounded up into the next second.
 *
 * @example formatTime(0n, { scale: "utc" }) // "1969-12-31T23:59:51.999918000"
 * @throws {InvalidTimeError} when asked for UTC before 1961, when UTC did not exist.
 */
export function formatTime(taiNs: bigint, options: FormatTimeOptions = {}): string {
  const scale = options.scale ?? "tai";
  const format = options.format ?? "isot";
  if (format === "mjd") return formatMjd(taiNs, scale, options.precision ?? 9);
  const precision = Math.max(0, Math.min(9, options.precision ?? 9));
  let days: bigint;
  let elapsed: bigint;
  if (scale === "utc") {
    const utc = taiToUtc(taiNs);
    if (utc === undefined) throw utcUndefined(taiNs);
    days = BigInt(utc.mjd - MJD_1970);
    elapsed = utc.elapsedUtcNs;
  } else {
    const scaled = scale === "tt" ? taiNs + TT_MINUS_TAI_NS : taiNs;
    days = floorDiv(scaled, NS_PER_DAY);
    elapsed = scaled - days * NS_PER_DAY;
  }
  const date = civilFromDays(Number(days));
  // A leap second shows as 23:59:60.x: its elapsed time runs past 86,400 s.
  const seconds = Number(elapsed / NS_PER_SECOND);
  const hour = Math.min(23, Math.floor(seconds / 3600));
  const minute = hour === 23 && seconds >= 86_400 ? 59 : Math.floor((seconds - hour * 3600) / 60);
  const second = seconds - hour * 3600 - minute * 60;
  const fraction = (elapsed % NS_PER_SECOND).toString().padStart(9, "0").slice(0, precision);
  const separator = format === "iso" ? " " : "T";
  const text = `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}${separator}${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
  return precision > 0 ? `${text}.${fraction}` : text;
}

function formatMjd(taiNs: bigint, scale: TimeScale, precision: number): string {
  const digits = Math.max(0, Math.min(15, precision));
  let dayNumber: bigint;
  let fractionOfDay: bigint;
  let dayLength = NS_PER_DAY;
  if (scale === "utc") {
    const utc = taiToUtc(taiNs);
    if (utc === undefined) throw utcUndefined(taiNs);
    dayNumber = BigInt(utc.mjd);
    fractionOfDay = utc.elapsedUtcNs;
    // A leap-second day has 86,401 UTC seconds; MJD fractions are fractions of that day.
    dayLength = utcClockDayLengthNs(utc.mjd) ?? NS_PER_DAY;
  } else {
    const scaled = scale === "tt" ? taiNs + TT_MINUS_TAI_NS : taiNs;
    const days = floorDiv(scaled, NS_PER_DAY);
    dayNumber = days + BigInt(MJD_1970);
    fractionOfDay = scaled - days * NS_PER_DAY;
  }
  if (digits === 0) return dayNumber.toString();
  const scaledFraction = (fractionOfDay * 10n ** BigInt(digits)) / dayLength;
  return `${dayNumber}.${scaledFraction.toString().padStart(digits, "0")}`;
}

function utcUndefined(taiNs: bigint): InvalidTimeError {
  return new InvalidTimeError(`Cannot express TAI time ${taiNs} ns in UTC: UTC is not defined before 1961`, {
    hint: "Format it in TAI instead.",
  });
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
