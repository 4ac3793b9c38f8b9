import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { InvalidTimeError } from "../errors.ts";
import { formatTime } from "./format-time.ts";
import { NS_PER_SECOND } from "./leap-seconds.ts";
import { parseTime } from "./parse-time.ts";
import { TAI_MAX_NS, TAI_MIN_NS } from "./tai-range.ts";

const tai = (text: string) => parseTime(`${text}/tai`);
const S = NS_PER_SECOND;

describe("parseTime", () => {
  it("reads ISO times as UTC by default and honours /tai and /tt", () => {
    expect(parseTime("2020-03-30 12:20:33") - tai("2020-03-30 12:20:33")).toBe(37n * S);
    expect(parseTime("2020-03-30T12:20:33")).toBe(parseTime("2020-03-30 12:20:33"));
    expect(parseTime("2020-03-30T12:20:33.25/tai")).toBe(tai("2020-03-30 12:20:33") + S / 4n);
    expect(parseTime("2020-01-01T00:00:32.184/tt")).toBe(tai("2020-01-01T00:00:00"));
    expect(parseTime("2020-03-30")).toBe(parseTime("2020-03-30 00:00:00"));
    expect(parseTime("2020-03-30T12:20:33Z")).toBe(parseTime("2020-03-30T12:20:33+00:00"));
  });

  it("reads MJD as TAI by default, exactly", () => {
    expect(parseTime("58938.515")).toBe(parseTime("mjd/58938.515/tai"));
    expect(parseTime("mjd/58938.515/tai")).toBe(tai("2020-03-30T12:21:36"));
    expect(parseTime("mjd/58938.515/utc")).toBe(parseTime("2020-03-30T12:21:36"));
    expect(parseTime("40587")).toBe(0n);
    expect(parseTime("40587.000000000000011574")).toBe(1n);
    expect(parseTime("4.0587e4")).toBe(0n);
  });

  it("reads year-day, FITS, JD and Unix times", () => {
    expect(parseTime("2020:090:12:20:33")).toBe(parseTime("2020-03-30 12:20:33"));
    expect(parseTime("fits/2020-03-30T12:20:33")).toBe(parseTime("2020-03-30 12:20:33"));
    expect(parseTime("jd/2458938.015")).toBe(parseTime("mjd/58937.515"));
    expect(parseTime("unix/1483228800")).toBe(parseTime("2017-01-01T00:00:00"));
  });

  it("knows TAI-UTC across the table, including the drifting 1960s rates", () => {
    expect(parseTime("1970-01-01T00:00:00")).toBe(8_000_082_000n);
    expect(parseTime("1972-01-01T00:00:00") - tai("1972-01-01T00:00:00")).toBe(10n * S);
    expect(parseTime("1999-06-01T00:00:00") - tai("1999-06-01T00:00:00")).toBe(32n * S);
    expect(parseTime("2026-11-25T00:00:00") - tai("2026-11-25T00:00:00")).toBe(37n * S);
  });

  it("counts the leap second at the end of 2016", () => {
    const before = parseTime("2016-12-31T23:59:59");
    const leap = parseTime("2016-12-31T23:59:60");
    const after = parseTime("2017-01-01T00:00:00");
    expect(leap - before).toBe(S);
    expect(after - leap).toBe(S);
    expect(leap).toBe(tai("2017-01-01T00:00:36"));
    expect(parseTime("2016-12-31T23:59:60.999999999")).toBe(after - 1n);
    expect(formatTime(leap + S / 2n, { scale: "utc" })).toBe("2016-12-31T23:59:60.500000000");
    expect(formatTime(after, { scale: "utc", precision: 0 })).toBe("2017-01-01T00:00:00");
  });

  it("rejects a leap second where there was none", () => {
    expect(() => parseTime("2015-12-31T23:59:60")).toThrow(
      'Cannot parse time "2015-12-31T23:59:60": there was no leap second at that time',
    );
    expect(() => parseTime("2016-12-31T23:59:60/tai")).toThrow("second 60 does not exist");
  });

  const malformed: Array<[string, string]> = [
    ["2020-13-01", "month 13 does not exist"],
    ["2020-02-30", "day 30 does not exist in 2020-02"],
    ["2020-01-01T25:00", "hour 25 does not exist"],
    ["2020-01-01T12:61", "minute 61 does not exist"],
    ["2020-01-01 12", "times with an hour but no minutes are not supported"],
    ["2020-01-01T00:00:00+01:00", "only UTC offsets of +00:00 are supported"],
    ["yesterday", "not a recognised time format"],
    ["foo/58938/tai", 'unknown time format "foo"'],
    ["58938/tdb", 'unsupported time scale "tdb"'],
    ["a/b/c/d", "expected at most FORMAT/VALUE/SCALE"],
    ["mjd/abc", '"abc" is not a number'],
    ["unix/0/tai", "Unix time is defined in UTC only, not TAI"],
    ["isot/2020-01-01 00:00", 'format isot needs a "T" between date and time'],
    ["2020:400", "day of year 400 does not exist in 2020"],
  ];
  it.each(malformed)("rejects %j: %s", (text, why) => {
    let caught: unknown;
    try {
      parseTime(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidTimeError);
    expect((caught as InvalidTimeError).code).toBe("InvalidTimeError");
    expect((caught as InvalidTimeError).message).toBe(`Cannot parse time "${text}": ${why}`);
  });

  it("rejects or clamps times outside 1970-2100 TAI", () => {
    expect(() => parseTime("1969-12-31T00:00:00/tai")).toThrow(
      'Time "1969-12-31T00:00:00/tai" is before 1970-01-01 00:00:00 TAI, the earliest time a repository can store',
    );
    expect(() => parseTime("2100-01-01T00:00:01/tai")).toThrow(/is after 2100-01-01 00:00:00 TAI/);
    expect(parseTime("1969-12-31T00:00:00/tai", { outOfRange: "clamp" })).toBe(TAI_MIN_NS);
    expect(parseTime("2200-01-01", { outOfRange: "clamp" })).toBe(TAI_MAX_NS);
    expect(parseTime("2100-01-01T00:00:00/tai")).toBe(TAI_MAX_NS);
    expect(() => parseTime("1960-01-01", { outOfRange: "clamp" })).toThrow("UTC is not defined before 1961");
  });

  it("formatting then parsing gives back the same nanosecond, in every scale", () => {
    const anyTime = fc.bigInt({ min: tai("1972-01-01T00:00:00"), max: TAI_MAX_NS - 100n * S });
    const nearLeap = fc
      .bigInt({ min: -3n * S, max: 3n * S })
      .map((d) => parseTime("2016-12-31T23:59:60") + d);
    fc.assert(
      fc.property(fc.oneof(anyTime, nearLeap), fc.constantFrom("tai", "utc", "tt" as const), (ns, scale) => {
        expect(parseTime(`${formatTime(ns, { scale })}/${scale}`)).toBe(ns);
        expect(parseTime(`${formatTime(ns, { scale, format: "iso" })}/${scale}`)).toBe(ns);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("round-trips to within 1 ns in the 1970-71 era of non-SI UTC seconds", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 100n * S, max: tai("1972-01-01T00:00:00") - S }), (ns) => {
        const back = parseTime(`${formatTime(ns, { scale: "utc" })}/utc`);
        expect(ns - back).toBeGreaterThanOrEqual(0n);
        expect(ns - back).toBeLessThanOrEqual(1n);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("formats MJD and truncates to the precision asked", () => {
    expect(formatTime(tai("2020-03-30T12:21:36"), { format: "mjd", precision: 3 })).toBe("58938.515");
    expect(formatTime(tai("2020-03-30T12:21:36.999"), { precision: 0 })).toBe("2020-03-30T12:21:36");
    expect(formatTime(0n, { scale: "utc", precision: 6 })).toBe("1969-12-31T23:59:51.999918");
  });
});
