import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { InvalidTimeError } from "../errors.ts";
import { NS_PER_DAY } from "./leap-seconds.ts";
import { parseTime } from "./parse-time.ts";
import { TAI_MAX_NS, TAI_MIN_NS } from "./tai-range.ts";
import { EMPTY_BOUND, Timespan } from "./timespan.ts";

const t = (text: string) => parseTime(`${text}/tai`);
const span = (a: string | null, b: string | null) =>
  Timespan.between(a === null ? null : t(a), b === null ? null : t(b));

describe("Timespan", () => {
  it("is half-open: contains its begin, not its end", () => {
    const day = span("2020-01-01", "2020-01-02");
    expect(day.contains(t("2020-01-01"))).toBe(true);
    expect(day.contains(t("2020-01-02") - 1n)).toBe(true);
    expect(day.contains(t("2020-01-02"))).toBe(false);
    expect(day.overlaps(span("2020-01-02", "2020-01-03"))).toBe(false);
    expect(day.overlaps(span("2020-01-01T23:59:59", "2020-01-03"))).toBe(true);
  });

  it("pads an instant to 1 ns unless told not to", () => {
    const instant = Timespan.between(t("2020-01-01"), t("2020-01-01"));
    expect(instant.endNs - instant.beginNs).toBe(1n);
    expect(instant.equals(Timespan.fromInstant(t("2020-01-01")))).toBe(true);
    expect(Timespan.between(t("2020-01-01"), t("2020-01-01"), { padInstantaneous: false }).isEmpty()).toBe(
      true,
    );
  });

  it("normalizes every backwards timespan to the one empty timespan", () => {
    const backwards = span("2020-01-02", "2020-01-01");
    expect(backwards.isEmpty()).toBe(true);
    expect(backwards.equals(Timespan.empty())).toBe(true);
    expect(backwards.begin).toBe(EMPTY_BOUND);
    expect(backwards.end).toBe(Timespan.EMPTY);
    expect(backwards.toSimple()).toEqual([TAI_MAX_NS, TAI_MIN_NS]);
    expect(Timespan.fromNs(5n, 5n).equals(Timespan.empty())).toBe(true);
  });

  it("gives null bounds when unbounded, stored as the ends of the range", () => {
    const all = Timespan.unbounded();
    expect(all.begin).toBeNull();
    expect(all.end).toBeNull();
    expect(all.toSimple()).toEqual([TAI_MIN_NS, TAI_MAX_NS]);
    expect(span(null, "2020-01-01").toString()).toBe("(-∞, 2020-01-01T00:00:00)");
    expect(span("2020-01-01", null).toString()).toBe("[2020-01-01T00:00:00, ∞)");
    expect(all.toString()).toBe("(-∞, ∞)");
    expect(Timespan.empty().toString()).toBe("(empty)");
  });

  it("has daf_butler's empty rules: overlaps nothing, contained by everything", () => {
    const empty = Timespan.empty();
    const day = span("2020-01-01", "2020-01-02");
    expect(empty.overlaps(empty)).toBe(false);
    expect(empty.overlaps(day)).toBe(false);
    expect(day.overlaps(empty)).toBe(false);
    expect(day.contains(empty)).toBe(true);
    expect(empty.contains(empty)).toBe(true);
    expect(empty.contains(day)).toBe(false);
    expect(empty.isBefore(day) || empty.isAfter(day) || day.isBefore(empty) || day.isAfter(empty)).toBe(
      false,
    );
  });

  it("orders disjoint timespans and times", () => {
    const a = span("2020-01-01", "2020-01-02");
    const b = span("2020-01-02", "2020-01-03");
    expect(a.isBefore(b)).toBe(true);
    expect(b.isAfter(a)).toBe(true);
    expect(b.isBefore(a)).toBe(false);
    expect(a.isBefore(t("2020-01-02"))).toBe(true);
    expect(a.isBefore(t("2020-01-01T12:00:00"))).toBe(false);
    expect(b.isAfter(t("2020-01-01T23:00:00"))).toBe(true);
  });

  it("intersects and subtracts", () => {
    const a = span("2020-01-01", "2020-01-10");
    const b = span("2020-01-05", "2020-01-20");
    expect(a.intersection(b).equals(span("2020-01-05", "2020-01-10"))).toBe(true);
    expect(a.intersection().equals(a)).toBe(true);
    expect(a.difference(b).map(String)).toEqual(["[2020-01-01T00:00:00, 2020-01-05T00:00:00)"]);
    expect(a.difference(span("2020-01-03", "2020-01-04")).map(String)).toEqual([
      "[2020-01-01T00:00:00, 2020-01-03T00:00:00)",
      "[2020-01-04T00:00:00, 2020-01-10T00:00:00)",
    ]);
    expect(a.difference(Timespan.unbounded())).toEqual([]);
    expect(a.difference(span("2021-01-01", null))[0]?.equals(a)).toBe(true);
  });

  it("makes observing days from YYYYMMDD with an offset", () => {
    expect(String(Timespan.fromDayObs(20240229, 12 * 3600))).toBe(
      "[2024-02-29T12:00:00, 2024-03-01T12:00:00)",
    );
    expect(Timespan.fromDayObs(20210909).endNs - Timespan.fromDayObs(20210909).beginNs).toBe(NS_PER_DAY);
    for (const bad of [20240230, 19691231, 2024022]) {
      expect(() => Timespan.fromDayObs(bad)).toThrow(
        `day_obs must be a date YYYYMMDD from 1970 on, not ${bad}`,
      );
    }
  });

  it("refuses infinite instants and out-of-range bounds with typed errors", () => {
    const cases: Array<[() => unknown, string]> = [
      [() => Timespan.between(null, TAI_MIN_NS), "Infinite instantaneous timespans are not supported"],
      [() => Timespan.between(TAI_MAX_NS - 1n, TAI_MAX_NS - 1n), "within 1 ns of 2100-01-01 TAI"],
      [() => Timespan.between(-1n, null), "is before 1970-01-01 00:00:00 TAI"],
      [() => Timespan.fromNs(0n, TAI_MAX_NS + 1n), "is after 2100-01-01 00:00:00 TAI"],
    ];
    for (const [make, message] of cases) {
      expect(make).toThrow(InvalidTimeError);
      expect(make).toThrow(message);
    }
    expect(Timespan.between(-5n, 10n, { outOfRange: "clamp" }).begin).toBeNull();
  });

  describe("algebra (property tests)", () => {
    const bound = fc.bigInt({ min: TAI_MIN_NS, max: 1_000n });
    const timespan = fc.tuple(bound, bound).map(([a, b]) => Timespan.fromNs(a, b));
    const instant = fc.bigInt({ min: 1n, max: 999n });

    it("overlap is symmetric and equals a non-empty intersection", () => {
      fc.assert(
        fc.property(timespan, timespan, (a, b) => {
          expect(a.overlaps(b)).toBe(b.overlaps(a));
          expect(a.overlaps(b)).toBe(!a.intersection(b).isEmpty());
        }),
        PROPERTY_OPTIONS,
      );
    });

    it("the intersection is contained in both operands", () => {
      fc.assert(
        fc.property(timespan, timespan, (a, b) => {
          const common = a.intersection(b);
          expect(a.contains(common) && b.contains(common)).toBe(true);
        }),
        PROPERTY_OPTIONS,
      );
    });

    it("containment implies overlap for non-empty timespans", () => {
      fc.assert(
        fc.property(timespan, timespan, (a, b) => {
          if (a.contains(b) && !b.isEmpty()) expect(a.overlaps(b)).toBe(true);
        }),
        PROPERTY_OPTIONS,
      );
    });

    it("difference and intersection partition the timespan", () => {
      fc.assert(
        fc.property(timespan, timespan, instant, (a, b, time) => {
          const pieces = a.difference(b);
          for (const piece of pieces) {
            expect(piece.isEmpty()).toBe(false);
            expect(piece.overlaps(b)).toBe(false);
            expect(a.contains(piece)).toBe(true);
          }
          const inPieces = pieces.filter((p) => p.contains(time)).length;
          const inCommon = a.intersection(b).contains(time) ? 1 : 0;
          expect(inPieces + inCommon).toBe(a.contains(time) ? 1 : 0);
        }),
        PROPERTY_OPTIONS,
      );
    });

    it("a non-empty timespan is before or after another exactly when they are disjoint", () => {
      fc.assert(
        fc.property(timespan, timespan, (a, b) => {
          if (a.isEmpty() || b.isEmpty()) return;
          expect(a.isBefore(b) || a.isAfter(b)).toBe(!a.overlaps(b));
        }),
        PROPERTY_OPTIONS,
      );
    });
  });
});
