import type { Point } from "./box.ts";
import type { MetadataEntry, MetadataValue } from "./property-list.ts";
import type { SipCoefficients } from "./sip-distortion.ts";
import { SkyWcs, type WcsProjection } from "./sky-wcs.ts";

/** Read access to header cards by keyword: a FITS header or a PropertyList. */
export interface CardLookup {
  get(key: string): MetadataValue | undefined;
}

/** A card to write; `real` asks for a real even when the number is integral (`1.0`, not `1`). */
export type WcsCard = MetadataEntry & { readonly real?: boolean };

/** Keywords of the celestial WCS, the pixel-origin `A` WCS and IRAF's LTV/LTM that image readers consume. */
export const WCS_KEYWORDS: ReadonlySet<string> = new Set([
  ..."WCSAXES CTYPE1 CTYPE2 CUNIT1 CUNIT2 CRPIX1 CRPIX2 CRVAL1 CRVAL2 CDELT1 CDELT2 CROTA2".split(" "),
  ..."CD1_1 CD1_2 CD2_1 CD2_2 PC1_1 PC1_2 PC2_1 PC2_2 LONPOLE LATPOLE RADESYS RADECSYS EQUINOX".split(" "),
  ..."CRPIX1A CRPIX2A CRVAL1A CRVAL2A CTYPE1A CTYPE2A CUNIT1A CUNIT2A CDELT1A CDELT2A WCSNAMEA".split(" "),
  ..."LTV1 LTV2 LTM1_1 LTM1_2 LTM2_1 LTM2_2".split(" "),
]);

const WCS_PATTERN = /^((A|B|AP|BP)_(ORDER|\d+_\d+)|PV\d+_\d+A?)$/;

/** Whether a keyword belongs to the WCS cards image readers consume (SIP and PV terms included). */
export function isWcsKeyword(key: string): boolean {
  return WCS_KEYWORDS.has(key) || WCS_PATTERN.test(key);
}

const number = (cards: CardLookup, key: string): number | undefined => {
  const value = cards.get(key);
  return typeof value === "number" ? value : undefined;
};

/**
 * The parent position of an array's first pixel from afw's cards: the `A` WCS (`CRVAL1A` with `CTYPE1A =
 * 'LINEAR'`), else IRAF's `LTV1 = -x0`; (0, 0) without either.
 */
export function xy0FromCards(cards: CardLookup): Point {
  const linear = String(cards.get("CTYPE1A") ?? "").trim() === "LINEAR";
  const ax = number(cards, "CRVAL1A");
  const ay = number(cards, "CRVAL2A");
  if (linear && ax !== undefined && ay !== undefined) {
    return {
      x: Math.round(ax - ((number(cards, "CRPIX1A") ?? 1) - 1)),
      y: Math.round(ay - ((number(cards, "CRPIX2A") ?? 1) - 1)),
    };
  }
  return { x: -Math.round(number(cards, "LTV1") ?? 0), y: -Math.round(number(cards, "LTV2") ?? 0) };
}

/** afw's cards placing an array at `xy0`: the `A` pixel WCS and IRAF's LTV. */
export function xy0ToCards(xy0: Point): WcsCard[] {
  return [
    { key: "LTV1", value: -xy0.x, real: true },
    { key: "LTV2", value: -xy0.y, real: true },
    { key: "CTYPE1A", value: "LINEAR", comment: "Type of projection" },
    { key: "CTYPE2A", value: "LINEAR", comment: "Type of projection" },
    { key: "CRPIX1A", value: 1, real: true, comment: "Column Pixel Coordinate of Reference" },
    { key: "CRPIX2A", value: 1, real: true, comment: "Row Pixel Coordinate of Reference" },
    { key: "CRVAL1A", value: xy0.x, real: true, comment: "Column pixel of Reference Pixel" },
    { key: "CRVAL2A", value: xy0.y, real: true, comment: "Row pixel of Reference Pixel" },
    { key: "CUNIT1A", value: "PIXEL", comment: "Column unit" },
    { key: "CUNIT2A", value: "PIXEL", comment: "Row unit" },
  ];
}

/**
 * The celestial WCS the cards describe, in PARENT pixel coordinates of an array whose first pixel is at
 * `xy0`; undefined when they describe none, or one butler-ts cannot compute (projections other than TAN and
 * SIN with or without TAN's SIP distortion, other distortions, units other than degrees, SIN with PV terms).
 */
export function skyWcsFromCards(cards: CardLookup, xy0: Point): SkyWcs | undefined {
  const types = [cards.get("CTYPE1"), cards.get("CTYPE2")].map((t) =>
    typeof t === "string" ? t.trim() : "",
  );
  const lng = types.findIndex((t) => t.startsWith("RA--"));
  const lat = types.findIndex((t) => t.startsWith("DEC-"));
  if (lng < 0 || lat < 0) return undefined;
  const code = types[0]?.slice(5);
  if (types[1]?.slice(5) !== code) return undefined;
  const projection = code === "TAN-SIP" ? "TAN" : code;
  if (projection !== "TAN" && projection !== "SIN") return undefined;
  const sip = code === "TAN-SIP" ? sipFromCards(cards) : undefined;
  if (code === "TAN-SIP" && (sip === undefined || lng !== 0)) return undefined;
  for (const axis of [1, 2]) {
    const unit = cards.get(`CUNIT${axis}`);
    if (unit !== undefined && String(unit).trim().toLowerCase() !== "deg") return undefined;
  }
  if (
    projection === "SIN" &&
    [`PV${lat + 1}_1`, `PV${lat + 1}_2`].some((k) => (number(cards, k) ?? 0) !== 0)
  ) {
    return undefined;
  }
  const matrix = linearTransform(cards);
  const crpix = [number(cards, "CRPIX1") ?? 0, number(cards, "CRPIX2") ?? 0];
  const crval = [number(cards, `CRVAL${lng + 1}`) ?? 0, number(cards, `CRVAL${lat + 1}`) ?? 0];
  if (matrix === undefined) return undefined;
  const equinox = number(cards, "EQUINOX");
  const radesys = cards.get("RADESYS") ?? cards.get("RADECSYS");
  const lonpole = number(cards, "LONPOLE");
  try {
    return new SkyWcs({
      crpix: [(crpix[0] as number) - 1 + xy0.x, (crpix[1] as number) - 1 + xy0.y],
      crval: crval as [number, number],
      cd: [matrix[lng] as [number, number], matrix[lat] as [number, number]],
      projection: projection as WcsProjection,
      ...(lonpole === undefined ? {} : { lonpole }),
      ...(typeof radesys === "string"
        ? { radesys: radesys.trim() }
        : equinox === undefined
          ? {}
          : { radesys: "FK5" }),
      ...(equinox === undefined ? {} : { equinox }),
      ...(sip === undefined ? {} : { sip }),
    });
  } catch {
    return undefined;
  }
}

/** SIP coefficients from `A_ORDER`, `A_p_q`, ... (`AP`/`BP` when present); undefined without A and B. */
function sipFromCards(cards: CardLookup): SipCoefficients | undefined {
  const matrix = (name: string) => {
    const order = number(cards, `${name}_ORDER`);
    if (order === undefined || !Number.isInteger(order) || order < 0 || order > 20) return undefined;
    return Array.from({ length: order + 1 }, (_, p) =>
      Array.from({ length: order + 1 - p }, (_, q) => number(cards, `${name}_${p}_${q}`) ?? 0),
    );
  };
  const [a, b, ap, bp] = ["A", "B", "AP", "BP"].map(matrix);
  if (a === undefined || b === undefined) return undefined;
  return { a, b, ...(ap === undefined ? {} : { ap }), ...(bp === undefined ? {} : { bp }) };
}

/** SIP cards for coefficients: orders and the non-zero terms. */
function sipToCards(sip: SipCoefficients): WcsCard[] {
  const cards: WcsCard[] = [];
  for (const [name, matrix] of [
    ["A", sip.a],
    ["B", sip.b],
    ["AP", sip.ap],
    ["BP", sip.bp],
  ] as const) {
    if (matrix === undefined) continue;
    cards.push({ key: `${name}_ORDER`, value: matrix.length - 1 });
    matrix.forEach((row, p) => {
      row.forEach((value, q) => {
        if (value !== 0) cards.push({ key: `${name}_${p}_${q}`, value, real: true });
      });
    });
  }
  return cards;
}

/** The CD matrix (rows: world axes) from CDi_j, else PCi_j x CDELTi, else CROTA2 and CDELTi. */
function linearTransform(cards: CardLookup): number[][] | undefined {
  const cdKeys = ["CD1_1", "CD1_2", "CD2_1", "CD2_2"];
  if (cdKeys.some((key) => cards.get(key) !== undefined)) {
    const [a = 0, b = 0, c = 0, d = 0] = cdKeys.map((key) => number(cards, key) ?? 0);
    return [
      [a, b],
      [c, d],
    ];
  }
  const cdelt1 = number(cards, "CDELT1");
  const cdelt2 = number(cards, "CDELT2");
  if (cdelt1 === undefined || cdelt2 === undefined) return undefined;
  const pcKeys = ["PC1_1", "PC1_2", "PC2_1", "PC2_2"];
  if (pcKeys.some((key) => cards.get(key) !== undefined)) {
    const [a = 1, b = 0, c = 0, d = 1] = pcKeys.map(
      (key, i) => number(cards, key) ?? (i === 0 || i === 3 ? 1 : 0),
    );
    return [
      [cdelt1 * a, cdelt1 * b],
      [cdelt2 * c, cdelt2 * d],
    ];
  }
  const rho = ((number(cards, "CROTA2") ?? 0) * Math.PI) / 180;
  // `+ 0` turns the -0 of an unrotated matrix into 0.
  return [
    [cdelt1 * Math.cos(rho), -cdelt2 * Math.sin(rho) + 0],
    [cdelt1 * Math.sin(rho) + 0, cdelt2 * Math.cos(rho)],
  ];
}

/** FITS cards for a WCS, CRPIX in the 1-based coordinates of an array whose first pixel is at `xy0`. */
export function skyWcsToCards(wcs: SkyWcs, xy0: Point): WcsCard[] {
  const [[a, b], [c, d]] = wcs.cd;
  const sipSuffix = wcs.sip === undefined ? "" : "-SIP";
  return [
    { key: "RADESYS", value: wcs.radesys },
    ...(wcs.equinox === undefined ? [] : [{ key: "EQUINOX", value: wcs.equinox, real: true }]),
    { key: "CTYPE1", value: `RA---${wcs.projection}${sipSuffix}`, comment: "Type of projection" },
    { key: "CTYPE2", value: `DEC--${wcs.projection}${sipSuffix}`, comment: "Type of projection" },
    { key: "CUNIT1", value: "deg", comment: "Units of coordinate increment and value" },
    { key: "CUNIT2", value: "deg", comment: "Units of coordinate increment and value" },
    {
      key: "CRPIX1",
      value: wcs.crpix[0] + 1 - xy0.x,
      real: true,
      comment: "Pixel coordinate of reference point",
    },
    {
      key: "CRPIX2",
      value: wcs.crpix[1] + 1 - xy0.y,
      real: true,
      comment: "Pixel coordinate of reference point",
    },
    { key: "CRVAL1", value: wcs.crval[0], real: true, comment: "[deg] Coordinate value at reference point" },
    { key: "CRVAL2", value: wcs.crval[1], real: true, comment: "[deg] Coordinate value at reference point" },
    { key: "CD1_1", value: a, real: true, comment: "Coordinate transformation matrix element" },
    { key: "CD1_2", value: b, real: true, comment: "Coordinate transformation matrix element" },
    { key: "CD2_1", value: c, real: true, comment: "Coordinate transformation matrix element" },
    { key: "CD2_2", value: d, real: true, comment: "Coordinate transformation matrix element" },
    ...(wcs.lonpole === 180 ? [] : [{ key: "LONPOLE", value: wcs.lonpole, real: true }]),
    ...(wcs.sip === undefined ? [] : sipToCards(wcs.sip)),
  ];
}
