import { ArgumentError } from "../errors.ts";

/**
 * Simple Imaging Polynomial distortion (Shupe et al. 2005, FITS `-SIP`): coefficient matrices indexed
 * `[p][q]` for the term `u^p v^q`, where (u, v) are pixel offsets from the reference pixel. `a` and `b`
 * give the forward correction; `ap` and `bp`, when present, the reverse one.
 */
export interface SipCoefficients {
  readonly a: readonly (readonly number[])[];
  readonly b: readonly (readonly number[])[];
  readonly ap?: readonly (readonly number[])[];
  readonly bp?: readonly (readonly number[])[];
}

/** Sum of `c[p][q] u^p v^q`. */
function polynomial(c: readonly (readonly number[])[], u: number, v: number): number {
  let sum = 0;
  let up = 1;
  for (const row of c) {
    let vq = 1;
    for (const coefficient of row) {
      sum += coefficient * up * vq;
      vq *= v;
    }
    up *= u;
  }
  return sum;
}

/**
 * Pixel offsets with the forward SIP correction applied: `(u + A(u, v), v + B(u, v))`.
 */
export function sipForward(sip: SipCoefficients, u: number, v: number): [number, number] {
  return [u + polynomial(sip.a, u, v), v + polynomial(sip.b, u, v)];
}

/**
 * The pixel offsets whose forward correction gives (`U`, `V`): the reverse polynomial as a first guess
 * when there is one, refined by Newton iterations on the forward one (so the inverse is exact to rounding
 * even where AP/BP are approximate, as astropy's `all_world2pix` does).
 */
export function sipInverse(sip: SipCoefficients, U: number, V: number): [number, number] {
  let u = U + (sip.ap === undefined ? 0 : polynomial(sip.ap, U, V));
  let v = V + (sip.bp === undefined ? 0 : polynomial(sip.bp, U, V));
  const h = 1e-3;
  for (let i = 0; i < 50; i += 1) {
    const [fu, fv] = sipForward(sip, u, v);
    const eu = fu - U;
    const ev = fv - V;
    if (Math.abs(eu) < 1e-12 && Math.abs(ev) < 1e-12) break;
    const [uu, uv] = sipForward(sip, u + h, v);
    const [vu, vv] = sipForward(sip, u, v + h);
    const j11 = (uu - fu) / h;
    const j21 = (uv - fv) / h;
    const j12 = (vu - fu) / h;
    const j22 = (vv - fv) / h;
    const det = j11 * j22 - j12 * j21;
    if (det === 0 || !Number.isFinite(det)) break;
    u -= (j22 * eu - j12 * ev) / det;
    v -= (-j21 * eu + j11 * ev) / det;
  }
  return [u, v];
}

/**
 * The coefficients, checked and frozen.
 * @throws {ArgumentError} for a non-finite coefficient.
 */
export function checkedSip(sip: SipCoefficients): SipCoefficients {
  const freeze = (c: readonly (readonly number[])[]) => {
    if (!c.every((row) => row.every(Number.isFinite))) {
      throw new ArgumentError("SIP coefficients must be finite numbers");
    }
    return Object.freeze(c.map((row) => Object.freeze([...row])));
  };
  return Object.freeze({
    a: freeze(sip.a),
    b: freeze(sip.b),
    ...(sip.ap === undefined ? {} : { ap: freeze(sip.ap) }),
    ...(sip.bp === undefined ? {} : { bp: freeze(sip.bp) }),
  });
}
