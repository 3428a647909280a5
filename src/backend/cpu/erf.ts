/**
 * The error function erf(x) = 2/sqrt(pi) * integral_0^x e^(-t^2) dt in float64.
 *
 * Rational minimax approximations from Sun's FDLIBM (s_erf.c, version 1.3 95/01/18,
 * http://www.netlib.org/fdlibm), the same ones used by FreeBSD msun and musl libm. FDLIBM states
 * errors below 2^-57.90 on [0, 0.84375] and 2^-59.06 on [0.84375, 1.25] for the fitted part, and
 * below 2^-61.5 for the erfc fits in [1.25, 6); measured against CPython's math.erf the result here
 * is within 1e-15 everywhere (test/elementwise.test.ts checks tabulated values).
 *
 * ====================================================
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunSoft, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 */

// erf on [0, 0.84375]: erf(x) = x + x * P(x^2) / Q(x^2).
const EFX = 1.28379167095512586316e-1; // 2/sqrt(pi) - 1
const PP = [
  1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5,
];
const QQ = [
  1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.9602282787753681232e-6,
];

// erf on [0.84375, 1.25]: erf(x) = ERX + P(s) / Q(s) with s = |x| - 1.
const ERX = 8.45062911510467529297e-1;
const PA = [
  -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1,
  3.54783043256182359371e-2, -2.166375594868790843e-3,
];
const QA = [
  1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2,
  1.1984499846799107417e-2,
];

// erfc on [1.25, 1/0.35]: erfc(x) = exp(-x^2 - 0.5625 + R(s) / S(s)) / x with s = 1/x^2.
const RA = [
  -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2,
  -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592,
];
const SA = [
  1, 1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2,
  1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2,
];

// erfc on [1/0.35, 6]: same form, different fit.
const RB = [
  -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2,
  -1.02509513161107724954e3, -4.83519191608651397019e2,
];
const SB = [
  1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3,
  4.74528541206955367215e2, -2.24409524465858183362e1,
];

/** c[0] + c[1] z + c[2] z^2 + ... by Horner's rule. */
function poly(c: readonly number[], z: number): number {
  let r = c[c.length - 1]!;
  for (let i = c.length - 2; i >= 0; i--) r = r * z + c[i]!;
  return r;
}

/** erf(x) for one float64 value (erf(+-inf) = +-1, erf(NaN) = NaN). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(PP, z) / poly(QQ, z));
  }
  if (a < 1.25) {
    const pq = ERX + poly(PA, a - 1) / poly(QA, a - 1);
    return x >= 0 ? pq : -pq;
  }
  if (a >= 6) return x >= 0 ? 1 : -1;
  const s = 1 / (a * a);
  const rs = a < 1 / 0.35 ? poly(RA, s) / poly(SA, s) : poly(RB, s) / poly(SB, s);
  // exp(-a^2) is evaluated as exp(-z^2) * exp((z - a)(z + a)) with z = a rounded to 24 bits, so
  // that z^2 is exact and the large exponent loses no bits (FDLIBM clears the low word instead).
  const z = Math.fround(a);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - a) * (z + a) + rs);
  const e = 1 - r / a;
  return x >= 0 ? e : -e;
}
