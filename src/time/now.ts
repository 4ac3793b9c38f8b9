import { MJD_1970 } from "./calendar.ts";
import { utcToTaiNs } from "./leap-seconds.ts";

const MS_PER_DAY = 86_400_000;

/** The current time from the system clock (UTC, milliseconds), as TAI nanoseconds since 1970. */
export function utcNowTaiNs(nowMs = Date.now()): bigint {
  const days = Math.floor(nowMs / MS_PER_DAY);
  const elapsed = BigInt(nowMs - days * MS_PER_DAY) * 1_000_000n;
  return utcToTaiNs(MJD_1970 + days, elapsed) as bigint;
}
