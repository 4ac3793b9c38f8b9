import { describe, expect, it } from "vitest";
import { describeWithPython, runPython } from "../../test/support/python.ts";
import { RegionError } from "../errors.ts";
import { seededRandom } from "../util/seeded-random.ts";
import { Angle } from "./angle.ts";
import { LonLat } from "./lon-lat.ts";
import { separation } from "./separation.ts";
import { UnitVector3d } from "./unit-vector-3d.ts";

function expectRegionError(f: () => unknown, message: string): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RegionError);
  expect((error as RegionError).code).toBe("RegionError");
  expect((error as RegionError).message).toBe(message);
}

describe("LonLat, Angle, UnitVector3d", () => {
  it("LonLat.fromDegrees() wraps longitudes into [0, 360) and keeps latitudes", () => {
    expect(LonLat.fromDegrees(-10, 5).lon.degrees).toBeCloseTo(350, 12);
    expect(LonLat.fromDegrees(720, -90).lon.degrees).toBe(0);
    expect(LonLat.fromDegrees(150.1, 2.2).lat.degrees).toBeCloseTo(2.2, 12);
  });

  it("LonLat.fromVector() inverts toVector()", () => {
    const p = LonLat.fromDegrees(359.999999, -89.5);
    const q = LonLat.fromVector(p.toVector());
    expect(q.lon.degrees).toBeCloseTo(359.999999, 9);
    expect(q.lat.degrees).toBeCloseTo(-89.5, 12);
  });

  it("rejects latitudes outside ±90°, NaN and zero vectors, naming the value", () => {
    expectRegionError(() => LonLat.fromDegrees(10, 90.5), "Invalid latitude 90.5°: it must be within ±90°");
    expectRegionError(
      () => LonLat.fromDegrees(10, Number.NaN),
      "Invalid latitude NaN°: it must be within ±90°",
    );
    expectRegionError(() => LonLat.fromDegrees(Number.NaN, 0), "Invalid longitude NaN°: it must be finite");
    expectRegionError(
      () => UnitVector3d.of(0, 0, 0),
      "Invalid vector (0, 0, 0): a direction cannot be the zero vector",
    );
    expectRegionError(
      () => UnitVector3d.of(1, Number.NaN, 0),
      "Invalid vector (1, NaN, 0): components must be finite",
    );
    expectRegionError(
      () => Angle.fromDegrees(Number.POSITIVE_INFINITY),
      "Invalid angle: Infinity degrees is not finite",
    );
  });

  it("separation() is exact at simple angles and accurate for tiny ones", () => {
    expect(separation(LonLat.fromDegrees(0, 0), LonLat.fromDegrees(90, 0)).degrees).toBeCloseTo(90, 12);
    expect(separation(LonLat.fromDegrees(10, 89), LonLat.fromDegrees(190, 89)).degrees).toBeCloseTo(2, 12);
    const tiny = separation(LonLat.fromDegrees(0, 0), LonLat.fromDegrees(1e-9, 0)).degrees;
    expect(Math.abs(tiny - 1e-9) / 1e-9).toBeLessThan(1e-6);
  });
});

describeWithPython("astropy", "separation() against astropy", (python) => {
  it("agrees with astropy.coordinates.angular_separation for 2000 random pairs", () => {
    const random = seededRandom(9);
    const pairs = Array.from({ length: 2000 }, () => {
      const tiny = random() < 0.2;
      const lon1 = random() * 360;
      const lat1 = Math.asin(2 * random() - 1) * (180 / Math.PI);
      const lon2 = tiny ? lon1 + (random() - 0.5) * 1e-4 : random() * 720 - 360;
      const lat2 = tiny
        ? Math.max(-90, Math.min(90, lat1 + (random() - 0.5) * 1e-4))
        : Math.asin(2 * random() - 1) * (180 / Math.PI);
      return [lon1, lat1, lon2, lat2];
    });
    const expected = runPython<number[]>(
      python,
      [
        "import json, sys, numpy as np",
        "from astropy.coordinates import angular_separation",
        "p = np.radians(np.array(json.load(sys.stdin)))",
        "print(json.dumps(np.degrees(angular_separation(p[:,0], p[:,1], p[:,2], p[:,3])).tolist()))",
      ].join("\n"),
      pairs,
    );
    pairs.forEach(([lon1, lat1, lon2, lat2], i) => {
      const ours = separation(
        LonLat.fromDegrees(lon1 as number, lat1 as number),
        LonLat.fromDegrees(lon2 as number, lat2 as number),
      ).degrees;
      const theirs = expected[i] as number;
      expect(Math.abs(ours - theirs), `pair ${i}`).toBeLessThan(1e-12 + theirs * 1e-10);
    });
  });
});
