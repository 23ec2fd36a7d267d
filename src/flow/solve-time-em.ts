import { truncatedNormalMoments } from './normal-truncated-moments.js';

/** A normal distribution of log solve time (log milliseconds). */
export interface LogNormalParameters {
  mu: number;
  sigma: number;
}

/** A prior counted as `weight` observations drawn from N(mu, sigma^2). */
export interface LogNormalPrior extends LogNormalParameters {
  weight: number;
}

/**
 * Below this spread the fit would divide by ~0 when standardising; 0.1 % is far tighter than any
 * real solve-time distribution. The ceiling stops a prior-less fit to nothing but "ready at the
 * first poll" answers from drifting off to an infinite spread.
 */
export const MIN_LOG_SIGMA = 1e-3;
export const MAX_LOG_SIGMA = 10;

/**
 * Tasks still out, each known only to take longer than its last not-ready age (log-ms in `lo`,
 * the first `count` entries), each standing for `weight` such tasks (a sample of many).
 */
export interface RightCensored {
  lo: Float64Array;
  count: number;
  weight: number;
}

/**
 * One EM iteration for interval-censored normal data, plus the prior as pseudo-observations.
 *
 * Each observation says lo < log(T) <= hi (lo may be -Infinity: "ready at the first poll"; hi may
 * be +Infinity: "given up while still not ready"; lo === hi: an exact time). The E-step replaces
 * it by the mean and variance of the current normal truncated to that interval; the M-step is
 * the ordinary mean and variance of those, counting the variance the censoring hides. Each
 * iteration cannot lower the likelihood, and a warm start from the previous fit makes one or
 * two iterations enough after a single new observation.
 *
 * `lo` and `hi` hold log-milliseconds; only the first `count` entries are read, in any order.
 */
export function logNormalEmStep(
  lo: Float64Array,
  hi: Float64Array,
  count: number,
  current: LogNormalParameters,
  prior: LogNormalPrior,
  outstanding?: RightCensored,
): LogNormalParameters {
  const { mu, sigma } = current;
  // Sums are taken relative to the current mu, so large log-times do not cancel in the variance.
  let sum = prior.weight * (prior.mu - mu);
  let sumSquares = prior.weight * (prior.sigma * prior.sigma + (prior.mu - mu) ** 2);
  for (let i = 0; i < count; i++) {
    const a = lo[i] ?? 0;
    const b = hi[i] ?? 0;
    let offset: number;
    let variance: number;
    if (a === b) {
      offset = a - mu;
      variance = 0;
    } else {
      const moments = truncatedNormalMoments((a - mu) / sigma, (b - mu) / sigma);
      offset = sigma * moments.mean;
      variance = sigma * sigma * moments.variance;
    }
    sum += offset;
    sumSquares += variance + offset * offset;
  }
  let total = count + prior.weight;
  if (outstanding !== undefined && outstanding.count > 0) {
    let censoredSum = 0;
    let censoredSquares = 0;
    for (let i = 0; i < outstanding.count; i++) {
      const moments = truncatedNormalMoments(
        ((outstanding.lo[i] ?? 0) - mu) / sigma,
        Number.POSITIVE_INFINITY,
      );
      const offset = sigma * moments.mean;
      censoredSum += offset;
      censoredSquares += sigma * sigma * moments.variance + offset * offset;
    }
    sum += outstanding.weight * censoredSum;
    sumSquares += outstanding.weight * censoredSquares;
    total += outstanding.weight * outstanding.count;
  }
  if (total <= 0) return current;
  const shift = sum / total;
  const spread = Math.sqrt(Math.max(0, sumSquares / total - shift * shift));
  return {
    mu: mu + shift,
    sigma: Math.min(MAX_LOG_SIGMA, Math.max(MIN_LOG_SIGMA, spread)),
  };
}
