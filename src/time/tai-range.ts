import { InvalidTimeError } from "../errors.ts";

/**
 * The earliest time a repository stores: 1970-01-01 00:00:00 TAI, as TAI nanoseconds. As in daf_butler,
 * a timespan bound equal to it means "unbounded below".
 */
export const TAI_MIN_NS = 0n;

/**
 * The latest time a repository stores: 2100-01-01 00:00:00 TAI, as TAI nanoseconds (daf_butler's
 * `max_nsec`). A timespan bound equal to it means "unbounded above".
 */
export const TAI_MAX_NS = 4_102_444_800_000_000_000n;

/** What to do with a time outside [`TAI_MIN_NS`, `TAI_MAX_NS`]: refuse it, or move it to the nearest end. */
export type OutOfRangePolicy = "reject" | "clamp";

/**
 * Check that `ns` lies in the range a repository can store, or clamp it there.
 * @throws {InvalidTimeError} when out of range and `policy` is `"reject"`.
 */
export function checkTaiRange(ns: bigint, text: string, policy: OutOfRangePolicy = "reject"): bigint {
  if (ns >= TAI_MIN_NS && ns <= TAI_MAX_NS) return ns;
  if (policy === "clamp") return ns < TAI_MIN_NS ? TAI_MIN_NS : TAI_MAX_NS;
  const side =
    ns < TAI_MIN_NS
      ? "is before 1970-01-01 00:00:00 TAI, the earliest"
      : "is after 2100-01-01 00:00:00 TAI, the latest";
  throw new InvalidTimeError(`Time "${text}" ${side} time a repository can store`, {
    hint:
      ns < TAI_MIN_NS
        ? "Leave the timespan's begin unbounded to mean 'since forever'."
        : "Leave the timespan's end unbounded to mean 'until further notice'.",
  });
}
