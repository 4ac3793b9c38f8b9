import { ArgumentError } from "../errors.ts";
import { checkedSip, type SipCoefficients, sipForward, sipInverse } from "./sip-distortion.ts";

/** The zenithal FITS projections butler-ts computes: gnomonic (TAN) and orthographic (SIN). */
export type WcsProjection = "TAN" | "SIN";

/** A position on the sky, in degrees. */
export interface SkyPosition {
  readonly ra: number;
  readonly dec: number;
}

/** A position in pixel coordinates (0-based, PARENT). */
export interface PixelPosition {
  readonly x: number;
  readonly y: number;
}

/** What defines a {@link SkyWcs}. */
export interface SkyWcsInit {
  /** Reference pixel in 0-based PARENT coordinates (FITS `CRPIX - 1 + xy0`). */
  readonly crpix: readonly [number, number];
  /** Sky position of the reference pixel, degrees (`CRVAL`). */
  readonly crval: readonly [number, number];
  /** Linear transform from pixel offsets to intermediate world coordinates, degrees per pixel (`CD`). */
  readonly cd: readonly [readonly [number, number], readonly [number, number]];
  readonly projection?: WcsProjection;
  /** Native longitude of the celestial pole, degrees (`LONPOLE`): 180 for zenithal projections by default. */
  readonly lonpole?: number;
  /** Reference frame (`RADESYS`): ICRS by default. */
  readonly radesys?: string;
  /** Equinox of FK4/FK5 frames, years. */
  readonly equinox?: number;
  /** SIP distortion of the pixel offsets (`RA---TAN-SIP`), applied before the CD matrix. */
  readonly sip?: SipCoefficients;
}

const DEG = Math.PI / 180;

/**
 * A celestial world coordinate system (afw's SkyWcs for the FITS-WCS cases butler-ts handles): a linear
 * transform, optionally after SIP distortion, and a TAN or SIN projection about a reference point, in afw's pixel convention (0-based PARENT
 * coordinates, so a cutout keeps its parent's WCS). Frozen.
 * @example
 * const wcs = new SkyWcs({ crpix: [2047.5, 2047.5], crval: [150.1, 2.2], cd: [[-5.5e-5, 0], [0, 5.5e-5]] });
 * const { ra, dec } = wcs.pixelToSky(100, 200);
 */
export class SkyWcs {
  readonly crpix: readonly [number, number];
  readonly crval: readonly [number, number];
  readonly cd: readonly [readonly [number, number], readonly [number, number]];
  readonly projection: WcsProjection;
  readonly lonpole: number;
  readonly radesys: string;
  readonly equinox: number | undefined;
  readonly sip: SipCoefficients | undefined;
  readonly #inverse: readonly [number, number, number, number];

  /** @throws {ArgumentError} for non-finite values, a singular CD matrix or an unknown projection. */
  constructor(init: SkyWcsInit) {
    const numbers = [...init.crpix, ...init.crval, ...init.cd[0], ...init.cd[1], init.lonpole ?? 180];
    if (!numbers.every(Number.isFinite)) throw new ArgumentError("SkyWcs values must be finite numbers");
    const projection = init.projection ?? "TAN";
    if (projection !== "TAN" && projection !== "SIN") {
      throw new ArgumentError(`Unknown WCS projection "${projection}"`, { hint: "Use TAN or SIN." });
    }
    const [[a, b], [c, d]] = init.cd;
    const det = a * d - b * c;
    if (det === 0) throw new ArgumentError("SkyWcs CD matrix is singular");
    this.crpix = Object.freeze([init.crpix[0], init.crpix[1]] as const);
    this.crval = Object.freeze([init.crval[0], init.crval[1]] as const);
    this.cd = Object.freeze([Object.freeze([a, b] as const), Object.freeze([c, d] as const)] as const);
    this.projection = projection;
    this.lonpole = init.lonpole ?? 180;
    this.radesys = init.radesys ?? "ICRS";
    this.equinox = init.equinox;
    this.sip = init.sip === undefined ? undefined : checkedSip(init.sip);
    this.#inverse = [d / det, -b / det, -c / det, a / det];
    Object.freeze(this);
  }

  /** The sky position (degrees, RA in [0, 360)) of pixel (`x`, `y`), 0-based PARENT coordinates; NaN off a SIN projection's disk. */
  pixelToSky(x: number, y: number): SkyPosition {
    const [[a, b], [c, d]] = this.cd;
    const offsets: [number, number] = [x - this.crpix[0], y - this.crpix[1]];
    const [dx, dy] = this.sip === undefined ? offsets : sipForward(this.sip, ...offsets);
    const u = a * dx + b * dy;
    const v = c * dx + d * dy;
    const r = Math.hypot(u, v);
    const phi = r === 0 ? 0 : Math.atan2(u, -v);
    if (this.projection === "SIN" && r * DEG > 1) return { ra: Number.NaN, dec: Number.NaN };
    const theta = this.projection === "TAN" ? Math.atan2(180 / Math.PI, r) : Math.acos(r * DEG);
    return this.#nativeToSky(phi, theta);
  }

  /** The pixel (0-based PARENT coordinates) at a sky position (degrees); NaN where the projection cannot reach. */
  skyToPixel(ra: number, dec: number): PixelPosition {
    const { phi, sinTheta, cosTheta } = this.#skyToNative(ra * DEG, dec * DEG);
    const valid = this.projection === "TAN" ? sinTheta > 0 : sinTheta >= 0;
    if (!valid) return { x: Number.NaN, y: Number.NaN };
    const r = (this.projection === "TAN" ? cosTheta / sinTheta : cosTheta) / DEG;
    const u = r * Math.sin(phi);
    const v = -r * Math.cos(phi);
    const [ia, ib, ic, id] = this.#inverse;
    const offsets: [number, number] = [ia * u + ib * v, ic * u + id * v];
    const [dx, dy] = this.sip === undefined ? offsets : sipInverse(this.sip, ...offsets);
    return { x: this.crpix[0] + dx, y: this.crpix[1] + dy };
  }

  /** The same WCS with the reference pixel moved by (`dx`, `dy`), for pixels renumbered that way. */
  shifted(dx: number, dy: number): SkyWcs {
    return new SkyWcs({ ...this.#init(), crpix: [this.crpix[0] + dx, this.crpix[1] + dy] });
  }

  toJSON(): SkyWcsInit {
    return this.#init();
  }

  #init(): SkyWcsInit {
    return {
      crpix: this.crpix,
      crval: this.crval,
      cd: this.cd,
      projection: this.projection,
      lonpole: this.lonpole,
      radesys: this.radesys,
      ...(this.equinox === undefined ? {} : { equinox: this.equinox }),
      ...(this.sip === undefined ? {} : { sip: this.sip }),
    };
  }

  /**
   * Calabretta & Greisen (2002) eq. 2 with the celestial pole at the reference point (zenithal
   * projections); latitudes by atan2 rather than asin, which loses precision near the poles.
   */
  #nativeToSky(phi: number, theta: number): SkyPosition {
    const dp = this.crval[1] * DEG;
    const dphi = phi - this.lonpole * DEG;
    const sinT = Math.sin(theta);
    const cosT = Math.cos(theta);
    const x = -cosT * Math.sin(dphi);
    const y = sinT * Math.cos(dp) - cosT * Math.sin(dp) * Math.cos(dphi);
    const z = sinT * Math.sin(dp) + cosT * Math.cos(dp) * Math.cos(dphi);
    const ra = this.crval[0] * DEG + Math.atan2(x, y);
    return { ra: normalizeDegrees(ra / DEG), dec: Math.atan2(z, Math.hypot(x, y)) / DEG };
  }

  /** The inverse of {@link SkyWcs.#nativeToSky}: native longitude and the sine and cosine of native latitude. */
  #skyToNative(ra: number, dec: number): { phi: number; sinTheta: number; cosTheta: number } {
    const dp = this.crval[1] * DEG;
    const dra = ra - this.crval[0] * DEG;
    const x = -Math.cos(dec) * Math.sin(dra);
    const y = Math.sin(dec) * Math.cos(dp) - Math.cos(dec) * Math.sin(dp) * Math.cos(dra);
    const z = Math.sin(dec) * Math.sin(dp) + Math.cos(dec) * Math.cos(dp) * Math.cos(dra);
    const norm = Math.hypot(x, y, z);
    return {
      phi: this.lonpole * DEG + Math.atan2(x, y),
      sinTheta: z / norm,
      cosTheta: Math.hypot(x, y) / norm,
    };
  }
}

function normalizeDegrees(value: number): number {
  const wrapped = value % 360;
  return wrapped < 0 ? wrapped + 360 : wrapped;
}
