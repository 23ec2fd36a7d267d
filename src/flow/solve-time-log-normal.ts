import {
  normalCdf,
  normalLogPdf,
  normalLogSf,
  normalLogSfFast,
  normalLogSfInverse,
  normalQuantile,
  normalSf,
} from './normal-distribution.js';

/**
 * What a poll planner needs to know about solve times. `SolveTimeModel` (learned) and
 * `LogNormalSolveTime` (fixed, e.g. the truth in a test) both provide it.
 */
export interface SolveTimeDistribution {
  /** P(T <= ms). */
  cdf(ms: number): number;
  /** The age by which a fraction p of tasks are solved. */
  quantile(p: number): number;
  /** P(T <= ageMs | T > sinceMs); 0 when ageMs <= sinceMs. */
  conditionalDone(sinceMs: number, ageMs: number): number;
  /** The age at which conditionalDone(sinceMs, age) reaches p: the inverse of conditionalDone. */
  timeToReach(sinceMs: number, p: number): number;
  /** E[T; lo < T <= hi]: what poll-lag sums are made of. */
  partialMeanMs(loMs: number, hiMs: number): number;
}

/** A log-normal solve time: log(T) ~ N(mu, sigma^2), with T in milliseconds. */
export class LogNormalSolveTime implements SolveTimeDistribution {
  constructor(
    /** Mean of log(T), T in milliseconds. */
    readonly mu: number,
    readonly sigma: number,
  ) {
    if (!Number.isFinite(mu))
      throw new RangeError(`LogNormalSolveTime: mu must be finite, got ${mu}`);
    if (!(sigma > 0 && Number.isFinite(sigma))) {
      throw new RangeError(`LogNormalSolveTime: sigma must be > 0, got ${sigma}`);
    }
  }

  private lastQuantile = { p: NaN, ms: NaN };

  static fromMedian(medianMs: number, sigma: number): LogNormalSolveTime {
    if (!(medianMs > 0))
      throw new RangeError(`LogNormalSolveTime: medianMs must be > 0, got ${medianMs}`);
    return new LogNormalSolveTime(Math.log(medianMs), sigma);
  }

  get medianMs(): number {
    return Math.exp(this.mu);
  }

  get meanMs(): number {
    return Math.exp(this.mu + 0.5 * this.sigma * this.sigma);
  }

  /** Standardised log of an age; -Infinity for ages <= 0. */
  private z(ms: number): number {
    return ms > 0 ? (Math.log(ms) - this.mu) / this.sigma : -Infinity;
  }

  cdf(ms: number): number {
    return normalCdf(this.z(ms));
  }

  quantile(p: number): number {
    if (p === this.lastQuantile.p) return this.lastQuantile.ms;
    if (Number.isNaN(p) || p < 0 || p > 1)
      throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
    const ms = Math.exp(this.mu + this.sigma * normalQuantile(p));
    // The poll scheduler asks every new task for the same early quantile of the same fit.
    this.lastQuantile = { p, ms };
    return ms;
  }

  conditionalDone(sinceMs: number, ageMs: number): number {
    if (!(ageMs > sinceMs)) return 0;
    // 1 - S(age) / S(since), in logs so that a task far in the tail still gets a real answer.
    return -Math.expm1(normalLogSf(this.z(ageMs)) - normalLogSf(this.z(sinceMs)));
  }

  /** log P(T > ms) to about 1e-7 relative: the cheap form, for sums over many tasks. */
  approxLogSurvival(ms: number): number {
    return normalLogSfFast(this.z(ms));
  }

  /** log of the density at `ms`, per millisecond; -Infinity for ms <= 0. */
  logDensity(ms: number): number {
    if (!(ms > 0)) return -Infinity;
    return normalLogPdf(this.z(ms)) - Math.log(this.sigma * ms);
  }

  timeToReach(sinceMs: number, p: number): number {
    if (Number.isNaN(p)) throw new RangeError('timeToReach: p is NaN');
    if (p <= 0) return Math.max(0, sinceMs);
    if (p >= 1) return Infinity;
    const logTarget = normalLogSf(this.z(sinceMs)) + Math.log1p(-p);
    const age = Math.exp(this.mu + this.sigma * normalLogSfInverse(logTarget));
    // Rounding must never schedule a poll at or before the age already known to be not ready.
    return Math.max(age, sinceMs);
  }

  partialMeanMs(loMs: number, hiMs: number): number {
    if (!(hiMs > loMs)) return 0;
    // E[T; T <= t] = mean * Phi(z(t) - sigma) for a log-normal.
    const a = this.z(loMs) - this.sigma;
    const b = this.z(hiMs) - this.sigma;
    // In the upper tail, a difference of upper-tail probabilities keeps its precision.
    const mass = a > 0 ? normalSf(a) - normalSf(b) : normalCdf(b) - normalCdf(a);
    return this.meanMs * Math.max(0, mass);
  }
}
