import { normalCdf, normalMillsRatio, normalPdf } from './normal-distribution.js';

/** Mean and variance of a standard normal Z restricted to an interval. */
export interface TruncatedMoments {
  /** E[Z | lo < Z <= hi] */
  mean: number;
  /** Var(Z | lo < Z <= hi) */
  variance: number;
}

/**
 * Below this width (scaled by the distance from 0) the density is nearly flat over the
 * interval and the closed form would subtract nearly equal numbers; a Taylor expansion is
 * accurate to O(width^2) relative there instead.
 */
const NARROW = 1e-2;

/** Beyond this lo, the one-sided variance comes from its asymptotic series (see upperSide). */
const ASYMPTOTIC = 50;

/**
 * Mean and variance of Z ~ N(0, 1) given lo < Z <= hi (either bound may be infinite). These are
 * the E-step of the interval-censored fit: what a "solved between two polls" observation says
 * about its log solve time. Stable far in either tail, where Phi(hi) - Phi(lo) underflows or
 * cancels to zero: there it works with Mills ratios instead of probabilities.
 */
export function truncatedNormalMoments(lo: number, hi: number): TruncatedMoments {
  if (Number.isNaN(lo) || Number.isNaN(hi) || hi < lo) {
    throw new RangeError(`truncatedNormalMoments: need lo <= hi, got (${lo}, ${hi}]`);
  }
  if (lo === hi) return { mean: lo, variance: 0 };
  const width = hi - lo;
  if (Number.isFinite(width) && width * (1 + Math.abs(lo + hi) / 2) < NARROW) {
    const mid = lo + width / 2;
    const variance = (width * width) / 12;
    return { mean: mid - mid * variance, variance };
  }
  // Mirror the lower tail onto the upper one, where the Mills-ratio form applies.
  if (hi <= 0) {
    const mirrored = upperSide(-hi, -lo);
    return { mean: -mirrored.mean, variance: mirrored.variance };
  }
  if (lo >= 0) return upperSide(lo, hi);
  // The interval holds 0, so its probability is not small: the plain formulas are accurate.
  const mass = normalCdf(hi) - normalCdf(lo);
  return fromRatios(lo, hi, normalPdf(lo), normalPdf(hi), mass);
}

/**
 * 0 <= lo < hi. Dividing every term by pdf(lo) leaves Mills ratios and
 * exp(-(hi^2 - lo^2) / 2), none of which underflow for any lo that fits in a double.
 */
function upperSide(lo: number, hi: number): TruncatedMoments {
  const rLo = normalMillsRatio(lo);
  const exponent = hi === Infinity ? Infinity : 0.5 * (hi - lo) * (hi + lo);
  // Beyond this the mass above hi is negligible next to the mass at lo: a one-sided tail.
  if (exponent > 40) {
    if (lo < ASYMPTOTIC) return fromRatios(lo, Infinity, 1, 0, rLo);
    // The closed form cancels terms of size lo^2 down to ~1/lo^2; the series
    // 1/lo^2 - 6/lo^4 + 50/lo^6 - 518/lo^8 is exact to ~1e-10 relative from lo = 50 on.
    const x = 1 / (lo * lo);
    return tidy(1 / rLo, x * (1 + x * (-6 + x * (50 - 518 * x))), lo, hi);
  }
  return fromRatios(
    lo,
    hi,
    1,
    Math.exp(-exponent),
    rLo - Math.exp(-exponent) * normalMillsRatio(hi),
  );
}

/**
 * The closed forms, from the densities at the bounds and the mass between them, all scaled by
 * the same factor: E[Z] = (A - B) / P and E[Z^2] = 1 + (lo A - hi B) / P. A bound at infinity
 * has density 0 and drops out.
 */
function fromRatios(
  lo: number,
  hi: number,
  atLo: number,
  atHi: number,
  mass: number,
): TruncatedMoments {
  const term = (x: number, density: number): number => (Number.isFinite(x) ? x * density : 0);
  const mean = (atLo - atHi) / mass;
  const second = 1 + (term(lo, atLo) - term(hi, atHi)) / mass;
  return tidy(mean, second - mean * mean, lo, hi);
}

/**
 * Rounding can push a result a hair outside what is possible; clamp it back. A truncated normal
 * is log-concave, so its variance never exceeds that of the untruncated one.
 */
function tidy(mean: number, variance: number, lo: number, hi: number): TruncatedMoments {
  return {
    mean: Math.min(hi, Math.max(lo, mean)),
    variance: Math.min(1, Math.max(0, variance)),
  };
}
