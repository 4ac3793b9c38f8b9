import { InvalidTimeError } from "../errors.ts";
import { daysFromCivil, daysInMonth } from "./calendar.ts";
import { formatTime } from "./format-time.ts";
import { NS_PER_DAY, NS_PER_SECOND } from "./leap-seconds.ts";
import { checkTaiRange, type OutOfRangePolicy, TAI_MAX_NS, TAI_MIN_NS } from "./tai-range.ts";

/** The bound of the empty timespan, which has no begin or end. */
export const EMPTY_BOUND: unique symbol = Symbol("Timespan.EMPTY");

/** A timespan bound: TAI nanoseconds, `null` when unbounded, or {@link EMPTY_BOUND} for the empty timespan. */
export type TimespanBound = bigint | null | typeof EMPTY_BOUND;

/** Options of {@link Timespan.between}. */
export interface TimespanOptions {
  /** When begin equals end, make a 1 ns timespan instead of the empty one (default true, as daf_butler). */
  readonly padInstantaneous?: boolean;
  /** What to do with a bound outside 1970–2100 TAI (default: reject). */
  readonly outOfRange?: OutOfRangePolicy;
}

/**
 * A half-open interval `[begin, end)` of TAI time with nanosecond precision, with daf_butler's exact rules:
 * bounds are integer TAI nanoseconds since 1970-01-01; 1970-01-01 TAI stands for "unbounded below" and
 * 2100-01-01 TAI for "unbounded above"; every timespan with `begin >= end` is the one empty timespan,
 * which overlaps nothing (not even itself) and is contained in everything.
 */
export class Timespan {
  /** The bound reported by the empty timespan. */
  static readonly EMPTY: typeof EMPTY_BOUND = EMPTY_BOUND;
  static readonly #empty = new Timespan(TAI_MAX_NS, TAI_MIN_NS);
  static readonly #unbounded = new Timespan(TAI_MIN_NS, TAI_MAX_NS);

  /** Stored begin in TAI ns ({@link TAI_MIN_NS} when unbounded), daf_butler's `_nsec[0]`. */
  readonly beginNs: bigint;
  /** Stored end in TAI ns ({@link TAI_MAX_NS} when unbounded), daf_butler's `_nsec[1]`. */
  readonly endNs: bigint;

  private constructor(beginNs: bigint, endNs: bigint) {
    this.beginNs = beginNs;
    this.endNs = endNs;
    Object.freeze(this);
  }

  /**
   * A timespan from its stored nanosecond pair, as kept in registry columns and daf_butler's JSON
   * (`[begin_ns, end_ns]`). Any pair with `begin >= end` is the empty timespan.
   * @throws {InvalidTimeError} when a value lies outside 1970–2100 TAI.
   */
  static fromNs(beginNs: bigint, endNs: bigint): Timespan {
    if (beginNs >= endNs) return Timespan.#empty;
    checkTaiRange(beginNs, `${beginNs} ns`);
    checkTaiRange(endNs, `${endNs} ns`);
    return new Timespan(beginNs, endNs);
  }

  /**
   * The timespan `[begin, end)`; `null` leaves that side unbounded.
   * @example Timespan.between(parseTime("2020-01-01/tai"), null)
   * @throws {InvalidTimeError} for an instantaneous timespan at an unbounded end, or a bound outside
   *   1970–2100 TAI (unless `outOfRange` is `"clamp"`).
   */
  static between(begin: bigint | null, end: bigint | null, options: TimespanOptions = {}): Timespan {
    const policy = options.outOfRange ?? "reject";
    const b = begin === null ? TAI_MIN_NS : checkTaiRange(begin, `${begin} ns`, policy);
    let e = end === null ? TAI_MAX_NS : checkTaiRange(end, `${end} ns`, policy);
    if (b === e) {
      if (b === TAI_MAX_NS || e === TAI_MIN_NS) {
        throw new InvalidTimeError("Infinite instantaneous timespans are not supported", {
          hint: "Give a begin before the end, or leave both bounds unbounded.",
        });
      }
      if (options.padInstantaneous ?? true) {
        e += 1n;
        if (e === TAI_MAX_NS) {
          throw new InvalidTimeError(
            "Cannot make a near-instantaneous timespan within 1 ns of 2100-01-01 TAI",
          );
        }
      }
    }
    return b >= e ? Timespan.#empty : new Timespan(b, e);
  }

  /** The timespan that contains no times. */
  static empty(): Timespan {
    return Timespan.#empty;
  }

  /** The timespan unbounded on both sides: all of time. */
  static unbounded(): Timespan {
    return Timespan.#unbounded;
  }

  /**
   * The 1 ns timespan `[time, time + 1 ns)` that stands for an instant.
   * @throws {InvalidTimeError} when `time` is outside the storable range or within 1 ns of its end.
   */
  static fromInstant(time: bigint): Timespan {
    return Timespan.between(time, time);
  }

  /**
   * The 24 h from TAI midnight (plus `offsetSeconds`) of an observing day given as YYYYMMDD.
   * @throws {InvalidTimeError} when `dayObs` is not a valid date from 1970 on.
   */
  static fromDayObs(dayObs: number, offsetSeconds = 0): Timespan {
    const year = Math.floor(dayObs / 10_000);
    const month = Math.floor(dayObs / 100) % 100;
    const day = dayObs % 100;
    if (
      !Number.isSafeInteger(dayObs) ||
      year < 1970 ||
      year > 9999 ||
      month < 1 ||
      month > 12 ||
      day < 1 ||
      day > daysInMonth(year, month)
    ) {
      throw new InvalidTimeError(`day_obs must be a date YYYYMMDD from 1970 on, not ${dayObs}`);
    }
    if (!Number.isSafeInteger(offsetSeconds)) {
      throw new InvalidTimeError(`day_obs offset must be a whole number of seconds, not ${offsetSeconds}`);
    }
    const begin =
      BigInt(daysFromCivil(year, month, day)) * NS_PER_DAY + BigInt(offsetSeconds) * NS_PER_SECOND;
    return Timespan.between(begin, begin + NS_PER_DAY);
  }

  /** Inclusive begin: TAI ns, `null` when unbounded below, {@link EMPTY_BOUND} when empty. */
  get begin(): TimespanBound {
    if (this.isEmpty()) return EMPTY_BOUND;
    return this.beginNs === TAI_MIN_NS ? null : this.beginNs;
  }

  /** Exclusive end: TAI ns, `null` when unbounded above, {@link EMPTY_BOUND} when empty. */
  get end(): TimespanBound {
    if (this.isEmpty()) return EMPTY_BOUND;
    return this.endNs === TAI_MAX_NS ? null : this.endNs;
  }

  /** Whether this is the empty timespan. */
  isEmpty(): boolean {
    return this.beginNs >= this.endNs;
  }

  /** Whether both timespans are the same interval. */
  equals(other: Timespan): boolean {
    return this.beginNs === other.beginNs && this.endNs === other.endNs;
  }

  /** Whether the two share at least one instant (for a time: whether it is contained). */
  overlaps(other: Timespan | bigint): boolean {
    if (typeof other === "bigint") return this.contains(other);
    return this.endNs > other.beginNs && other.endNs > this.beginNs;
  }

  /** Whether `other` lies wholly inside this timespan; the empty timespan lies inside every timespan. */
  contains(other: Timespan | bigint): boolean {
    if (typeof other === "bigint") return this.beginNs <= other && this.endNs > other;
    return this.beginNs <= other.beginNs && this.endNs >= other.endNs;
  }

  /** Whether this timespan ends at or before `other` begins; false when either is empty. */
  isBefore(other: Timespan | bigint): boolean {
    if (typeof other === "bigint") return this.endNs <= other && this.beginNs < other;
    return this.endNs <= other.beginNs && this.beginNs < other.endNs;
  }

  /** Whether this timespan begins at or after `other` ends; false when either is empty. */
  isAfter(other: Timespan | bigint): boolean {
    if (typeof other === "bigint") return this.beginNs > other && this.endNs > other;
    return this.beginNs >= other.endNs && this.endNs > other.beginNs;
  }

  /** The timespan contained in this one and every one of `others`. */
  intersection(...others: Timespan[]): Timespan {
    let begin = this.beginNs;
    let end = this.endNs;
    for (const other of others) {
      if (other.beginNs > begin) begin = other.beginNs;
      if (other.endNs < end) end = other.endNs;
    }
    return begin >= end ? Timespan.#empty : new Timespan(begin, end);
  }

  /** The zero, one or two non-empty timespans covering what is in this one but not in `other`. */
  difference(other: Timespan): Timespan[] {
    const common = this.intersection(other);
    if (common.isEmpty()) return this.isEmpty() ? [] : [this];
    const pieces: Timespan[] = [];
    if (common.beginNs > this.beginNs) pieces.push(new Timespan(this.beginNs, common.beginNs));
    if (common.endNs < this.endNs) pieces.push(new Timespan(common.endNs, this.endNs));
    return pieces;
  }

  /** daf_butler's JSON form: the stored `[begin_ns, end_ns]` pair. */
  toSimple(): readonly [bigint, bigint] {
    return [this.beginNs, this.endNs];
  }

  /** daf_butler's display form in TAI, to the second: `[2020-01-01T00:00:00, ∞)`, `(empty)`. */
  toString(): string {
    if (this.isEmpty()) return "(empty)";
    const head = this.beginNs === TAI_MIN_NS ? "(-∞, " : `[${formatTime(this.beginNs, { precision: 0 })}, `;
    const tail = this.endNs === TAI_MAX_NS ? "∞)" : `${formatTime(this.endNs, { precision: 0 })})`;
    return head + tail;
  }
}
