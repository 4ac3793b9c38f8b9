import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { PropertyList } from "./property-list.ts";
import { SkyWcs } from "./sky-wcs.ts";
import { skyWcsFromCards, skyWcsToCards, xy0FromCards, xy0ToCards } from "./sky-wcs-cards.ts";

const cardsOf = (entries: { key: string; value?: unknown }[]) => new PropertyList(entries as never);

describe("SkyWcs", () => {
  it("puts the reference pixel at the reference sky position", () => {
    const wcs = new SkyWcs({
      crpix: [10, 20],
      crval: [359.5, -89.5],
      cd: [
        [-1e-4, 0],
        [0, 1e-4],
      ],
    });
    const { ra, dec } = wcs.pixelToSky(10, 20);
    expect(ra).toBeCloseTo(359.5, 12);
    expect(dec).toBeCloseTo(-89.5, 12);
  });

  it("inverts pixelToSky with skyToPixel for TAN and SIN (property)", () => {
    const wcsArb = fc.record({
      crval: fc.tuple(
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.double({ min: -89.9, max: 89.9, noNaN: true }),
      ),
      scale: fc.double({ min: 1e-5, max: 1e-3, noNaN: true }),
      angle: fc.double({ min: 0, max: 6.28, noNaN: true }),
      projection: fc.constantFrom("TAN" as const, "SIN" as const),
    });
    const pixel = fc.tuple(
      fc.double({ min: -2000, max: 2000, noNaN: true }),
      fc.double({ min: -2000, max: 2000, noNaN: true }),
    );
    fc.assert(
      fc.property(wcsArb, pixel, ({ crval, scale, angle, projection }, [x, y]) => {
        const c = Math.cos(angle) * scale;
        const s = Math.sin(angle) * scale;
        const wcs = new SkyWcs({
          crpix: [100, 200],
          crval,
          cd: [
            [-c, s],
            [s, c],
          ],
          projection,
        });
        const sky = wcs.pixelToSky(x, y);
        const back = wcs.skyToPixel(sky.ra, sky.dec);
        expect(Math.hypot(back.x - x, back.y - y)).toBeLessThan(1e-6);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("writes FITS cards relative to the array, and reads them back to the same WCS", () => {
    const wcs = new SkyWcs({
      crpix: [1030.5, 2020.25],
      crval: [53.1, -27.8],
      cd: [
        [-5.5e-5, 2e-6],
        [1e-6, 5.5e-5],
      ],
      projection: "SIN",
    });
    const xy0 = { x: 1000, y: 2000 };
    const cards = cardsOf([...skyWcsToCards(wcs, xy0), ...xy0ToCards(xy0)]);
    expect([cards.get("CRPIX1"), cards.get("CRPIX2"), cards.get("LTV1"), cards.get("CTYPE1")]).toEqual([
      31.5,
      21.25,
      -1000,
      "RA---SIN",
    ]);
    expect(xy0FromCards(cards)).toEqual(xy0);
    expect(skyWcsFromCards(cards, xy0)).toEqual(wcs);
  });

  it("reads PC and CDELT, CROTA2, swapped axes, and leaves out what it cannot compute", () => {
    const base = [
      { key: "CRPIX1", value: 1 },
      { key: "CRPIX2", value: 1 },
      { key: "CRVAL1", value: 10 },
      { key: "CRVAL2", value: 20 },
      { key: "CDELT1", value: -0.001 },
      { key: "CDELT2", value: 0.002 },
    ];
    const tan = [
      { key: "CTYPE1", value: "RA---TAN" },
      { key: "CTYPE2", value: "DEC--TAN" },
    ];
    const pc = skyWcsFromCards(cardsOf([...tan, ...base, { key: "PC1_2", value: 0.5 }]), { x: 0, y: 0 });
    expect(pc?.cd).toEqual([
      [-0.001, -0.0005],
      [0, 0.002],
    ]);
    const rot = skyWcsFromCards(cardsOf([...tan, ...base, { key: "CROTA2", value: 90 }]), { x: 0, y: 0 });
    expect(rot?.cd[0][1]).toBeCloseTo(-0.002, 15);
    const swapped = skyWcsFromCards(
      cardsOf([{ key: "CTYPE1", value: "DEC--TAN" }, { key: "CTYPE2", value: "RA---TAN" }, ...base]),
      { x: 0, y: 0 },
    );
    expect([swapped?.crval, swapped?.cd]).toEqual([
      [20, 10],
      [
        [0, 0.002],
        [-0.001, 0],
      ],
    ]);
    const sip = [
      { key: "CTYPE1", value: "RA---TAN-SIP" },
      { key: "CTYPE2", value: "DEC--TAN-SIP" },
    ];
    expect(skyWcsFromCards(cardsOf([...sip, ...base]), { x: 0, y: 0 })).toBeUndefined();
    expect(skyWcsFromCards(cardsOf(base), { x: 0, y: 0 })).toBeUndefined();
  });

  it("writes and reads TAN-SIP distortion, and inverts it", () => {
    const sip = {
      a: [[0, 0, 2e-6], [0, -3e-6], [1e-6]],
      b: [[0, 0, -1e-6], [0, 1.5e-6], [-5e-7]],
    };
    const wcs = new SkyWcs({
      crpix: [500, 600],
      crval: [200, 10],
      cd: [
        [-5e-5, 1e-5],
        [2e-5, 5e-5],
      ],
      sip,
    });
    const cards = cardsOf(skyWcsToCards(wcs, { x: 0, y: 0 }));
    expect([cards.get("CTYPE1"), cards.get("A_ORDER"), cards.get("A_1_1"), cards.has("A_0_0")]).toEqual([
      "RA---TAN-SIP",
      2,
      -3e-6,
      false,
    ]);
    const read = skyWcsFromCards(cards, { x: 0, y: 0 });
    expect(read?.toJSON()).toEqual(wcs.toJSON());
    const sky = wcs.pixelToSky(2000, -300);
    const back = wcs.skyToPixel(sky.ra, sky.dec);
    expect(Math.hypot(back.x - 2000, back.y + 300)).toBeLessThan(1e-8);
  });
});
