import { MJD_1970 } from "./calendar.ts";

/** Nanoseconds in one SI second. */
export const NS_PER_SECOND = 1_000_000_000n;
/** Nanoseconds in a day of 86,400 SI seconds. */
export const NS_PER_DAY = 86_400n * NS_PER_SECOND;

/**
 * One row of the TAI−UTC table: from UTC date `mjd` on, TAI−UTC = `offsetNs` + (MJD − `driftFromMjd`) ×
 * `driftNsPerDay`. Before 1972 UTC seconds were not SI seconds, hence the drift terms.
 */
interface TaiMinusUtcRow {
  readonly mjd: number;
  readonly offsetNs: bigint;
  readonly driftFromMjd: number;
  readonly driftNsPerDay: bigint;
}

function row(mjd: number, offsetNs: bigint, driftFromMjd = 0, driftNsPerDay = 0n): TaiMinusUtcRow {
  return Object.freeze({ mjd, offsetNs, driftFromMjd, driftNsPerDay });
}

const s = (seconds: number) => BigInt(seconds) * NS_PER_SECOND;

/**
 * TAI−UTC since UTC began (1961), from the IERS/USNO `tai-utc.dat` table; the same data astropy's ERFA uses.
 *
 * To update when IERS Bulletin C announces a leap second: append a row with the MJD of the UTC day that
 * begins with the new offset (the day after the leap second) and the new offset in seconds, then extend
 * `LEAP_SECONDS_KNOWN_UNTIL`. Rows must stay in date order.
 */
const TAI_MINUS_UTC: readonly TaiMinusUtcRow[] = Object.freeze([
  row(37300, 1_422_818_000n, 37300, 1_296_000n), // 1961-01-01
  row(37512, 1_372_818_000n, 37300, 1_296_000n), // 1961-08-01
  row(37665, 1_845_858_000n, 37665, 1_123_200n), // 1962-01-01
  row(38334, 1_945_858_000n, 37665, 1_123_200n), // 1963-11-01
  row(38395, 3_240_130_000n, 38761, 1_296_000n), // 1964-01-01
  row(38486, 3_340_130_000n, 38761, 1_296_000n), // 1964-04-01
  row(38639, 3_440_130_000n, 38761, 1_296_000n), // 1964-09-01
  row(38761, 3_540_130_000n, 38761, 1_296_000n), // 1965-01-01
  row(38820, 3_640_130_000n, 38761, 1_296_000n), // 1965-03-01
  row(38942, 3_740_130_000n, 38761, 1_296_000n), // 1965-07-01
  row(39004, 3_840_130_000n, 38761, 1_296_000n), // 1965-09-01
  row(39126, 4_313_170_000n, 39126, 2_592_000n), // 1966-01-01
  row(39887, 4_213_170_000n, 39126, 2_592_000n), // 1968-02-01
  row(41317, s(10)), // 1972-01-01
  row(41499, s(11)), // 1972-07-01
  row(41683, s(12)), // 1973-01-01
  row(42048, s(13)), // 1974-01-01
  row(42413, s(14)), // 1975-01-01
  row(42778, s(15)), // 1976-01-01
  row(43144, s(16)), // 1977-01-01
  row(43509, s(17)), // 1978-01-01
  row(43874, s(18)), // 1979-01-01
  row(44239, s(19)), // 1980-01-01
  row(44786, s(20)), // 1981-07-01
  row(45151, s(21)), // 1982-07-01
  row(45516, s(22)), // 1983-07-01
  row(46247, s(23)), // 1985-07-01
  row(47161, s(24)), // 1988-01-01
  row(47892, s(25)), // 1990-01-01
  row(48257, s(26)), // 1991-01-01
  row(48804, s(27)), // 1992-07-01
  row(49169, s(28)), // 1993-07-01
  row(49534, s(29)), // 1994-07-01
  row(50083, s(30)), // 1996-01-01
  row(50630, s(31)), // 1997-07-01
  row(51179, s(32)), // 1999-01-01
  row(53736, s(33)), // 2006-01-01
  row(54832, s(34)), // 2009-01-01
  row(56109, s(35)), // 2012-07-01
  row(57204, s(36)), // 2015-07-01
  row(57754, s(37)), // 2017-01-01
]);

/**
 * UTC date (ISO) through which the table is known to be complete: IERS Bulletin C announced no leap second
 * at the end of 2026. Times after it are converted as if no leap second were added (TAI−UTC = 37 s).
 */
export const LEAP_SECONDS_KNOWN_UNTIL = "2026-12-31";

/** MJD of the first UTC day the table covers (1961-01-01); earlier UTC instants are undefined. */
export const FIRST_UTC_MJD = 37300;

function rowFor(mjd: number): TaiMinusUtcRow | undefined {
  let found: TaiMinusUtcRow | undefined;
  for (const entry of TAI_MINUS_UTC) {
    if (entry.mjd > mjd) break;
    found = entry;
  }
  return found;
}

/**
 * TAI−UTC in nanoseconds at `elapsedUtcNs` (UTC nanoseconds since midnight) of UTC day `mjd`.
 * Undefined (returns `undefined`) before 1961.
 */
export function taiMinusUtcNs(mjd: number, elapsedUtcNs = 0n): bigint | undefined {
  const entry = rowFor(mjd);
  if (entry === undefined) return undefined;
  if (entry.driftNsPerDay === 0n) return entry.offsetNs;
  const wholeDays = BigInt(mjd - entry.driftFromMjd) * entry.driftNsPerDay;
  return entry.offsetNs + wholeDays + (elapsedUtcNs * entry.driftNsPerDay) / NS_PER_DAY;
}

/** TAI nanoseconds (since 1970-01-01 00:00:00 TAI) at which UTC day `mjd` begins. */
function utcDayStartTai(mjd: number): bigint | undefined {
  const offset = taiMinusUtcNs(mjd);
  return offset === undefined ? undefined : BigInt(mjd - MJD_1970) * NS_PER_DAY + offset;
}

/**
 * Length of UTC day `mjd` in SI nanoseconds: 86,400 s, plus one on a day that ends with a leap second,
 * plus the rate difference before 1972.
 */
export function utcDayLengthNs(mjd: number): bigint | undefined {
  const start = utcDayStartTai(mjd);
  const next = utcDayStartTai(mjd + 1);
  return start === undefined || next === undefined ? undefined : next - start;
}

/** Nanoseconds in UTC day `mjd` as counted on a UTC clock (86,401 s on a leap-second day). */
export function utcClockDayLengthNs(mjd: number): bigint | undefined {
  const entry = rowFor(mjd);
  const siLength = utcDayLengthNs(mjd);
  if (entry === undefined || siLength === undefined) return undefined;
  return siLength - entry.driftNsPerDay;
}

/**
 * TAI nanoseconds of a UTC instant given as a UTC day and UTC-clock nanoseconds since its midnight
 * (which may run into a leap second, up to the day's UTC-clock length).
 * Returns `undefined` before 1961, when UTC is undefined.
 */
export function utcToTaiNs(mjd: number, elapsedUtcNs: bigint): bigint | undefined {
  const entry = rowFor(mjd);
  const start = utcDayStartTai(mjd);
  if (entry === undefined || start === undefined) return undefined;
  // Before 1972 a UTC second was slightly longer than an SI second.
  const siElapsed = elapsedUtcNs + (elapsedUtcNs * entry.driftNsPerDay) / NS_PER_DAY;
  return start + siElapsed;
}

/** A UTC instant split into its day and UTC-clock nanoseconds since that day's midnight. */
export interface UtcInstant {
  readonly mjd: number;
  readonly elapsedUtcNs: bigint;
}

/**
 * The UTC day and UTC-clock time of a TAI instant. During a leap second `elapsedUtcNs` is 86,400 s or
 * more (shown as 23:59:60). Returns `undefined` before 1961.
 */
export function taiToUtc(taiNs: bigint): UtcInstant | undefined {
  let mjd = MJD_1970 + Number((taiNs - 10n * NS_PER_SECOND) / NS_PER_DAY);
  if (taiNs < 0n) mjd -= 1;
  let start = utcDayStartTai(mjd);
  if (start === undefined) return undefined;
  while (start > taiNs) {
    mjd -= 1;
    start = utcDayStartTai(mjd);
    if (start === undefined) return undefined;
  }
  for (;;) {
    const next = utcDayStartTai(mjd + 1);
    if (next === undefined || next > taiNs) break;
    mjd += 1;
    start = next;
  }
  const entry = rowFor(mjd) as TaiMinusUtcRow;
  const siElapsed = taiNs - start;
  if (entry.driftNsPerDay === 0n) return { mjd, elapsedUtcNs: siElapsed };
  // Before 1972 a UTC nanosecond is slightly longer than an SI one: take the last UTC nanosecond that
  // utcToTaiNs maps at or before this instant, so that formatting then parsing moves by at most 1 ns.
  const toSi = (utc: bigint) => utc + (utc * entry.driftNsPerDay) / NS_PER_DAY;
  let elapsedUtcNs = (siElapsed * NS_PER_DAY) / (NS_PER_DAY + entry.driftNsPerDay);
  while (toSi(elapsedUtcNs + 1n) <= siElapsed) elapsedUtcNs += 1n;
  while (toSi(elapsedUtcNs) > siElapsed) elapsedUtcNs -= 1n;
  return { mjd, elapsedUtcNs };
}
