import { beforeAll, expect, it } from "vitest";
import { formatTime } from "../../src/time/format-time.ts";
import { parseTime } from "../../src/time/parse-time.ts";
import { describeWithPython, runPython } from "../support/python.ts";

const ORACLE = `
import json, sys, warnings
warnings.simplefilter("ignore")
from astropy.utils import iers
iers.conf.auto_download = False
from astropy.time import Time
out = []
for utc in json.load(sys.stdin):
    t = Time(utc, scale="utc", format="isot", precision=9)
    out.append({"tai": t.tai.isot, "mjd_tai": repr(float(t.tai.mjd))})
print(json.dumps(out))
`;

const UTC_TIMES = [
  "1970-01-01T00:00:00.000",
  "1970-06-15T12:34:56.789",
  "1971-12-31T23:59:59.000",
  "1972-01-01T00:00:00.000",
  "1972-06-30T23:59:60.500",
  "1999-01-01T00:00:00.000",
  "2016-12-31T23:59:59.000",
  "2016-12-31T23:59:60.000",
  "2016-12-31T23:59:60.750",
  "2017-01-01T00:00:00.000",
  "2020-03-30T12:20:33.000",
  "2026-11-25T17:00:00.123",
];

const MICROSECOND = 1_000n;

describeWithPython("astropy", "TAI/UTC agree with astropy", (python) => {
  let answers: { tai: string; mjd_tai: string }[] = [];
  beforeAll(() => {
    answers = runPython<{ tai: string; mjd_tai: string }[]>(python, ORACLE, UTC_TIMES);
  });

  it.each(UTC_TIMES.map((utc, i) => [utc, i] as const))("UTC %s converts to astropy's TAI", (utc, i) => {
    const answer = answers[i] as { tai: string; mjd_tai: string };
    const ours = parseTime(`${utc}/utc`);
    const theirs = parseTime(`${answer.tai}/tai`);
    expect(ours - theirs).toBeLessThanOrEqual(MICROSECOND);
    expect(theirs - ours).toBeLessThanOrEqual(MICROSECOND);
    const back = parseTime(`${formatTime(theirs, { scale: "utc" })}/utc`);
    expect(back - ours <= MICROSECOND && ours - back <= MICROSECOND).toBe(true);
    const mjd = parseTime(`mjd/${answer.mjd_tai}/tai`);
    // A double-precision MJD resolves about 1 us at these dates.
    expect(mjd - ours <= 10n * MICROSECOND && ours - mjd <= 10n * MICROSECOND).toBe(true);
  });
});
