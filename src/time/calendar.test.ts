import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { civilFromDays, daysFromCivil, daysInMonth, isLeapYear } from "./calendar.ts";

describe("calendar", () => {
  it("counts days from 1970-01-01", () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1)).toBe(11_017);
    expect(daysFromCivil(2100, 1, 1)).toBe(47_482);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
  });

  it("knows Gregorian leap years", () => {
    expect([1900, 2000, 2023, 2024].map(isLeapYear)).toEqual([false, true, false, true]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
  });

  it("civilFromDays inverts daysFromCivil", () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (days) => {
        const { year, month, day } = civilFromDays(days);
        expect(daysFromCivil(year, month, day)).toBe(days);
        expect(day).toBeLessThanOrEqual(daysInMonth(year, month));
      }),
      PROPERTY_OPTIONS,
    );
  });
});
