import {
  logNormalEmStep,
  type LogNormalPrior,
  type RightCensored,
  MAX_LOG_SIGMA,
  MIN_LOG_SIGMA,
} from './solve-time-em.js';
import { LogNormalSolveTime, type SolveTimeDistribution } from './solve-time-log-normal.js';

/** What is believed about a method's solve times before any task has been seen. */
export interface SolveTimePrior {
  medianMs: number;
  /** Standard deviation of log(solve time); 0.5 means the middle 68 % spans x0.61 to x1.65. */
  sigma: number;
}

export interface SolveTimeModelOptions {
  /**
   * How many recent observations the fit uses. Older ones are forgotten, so the model follows a
   * service that speeds up or slows down.
   * @default 256
   */
  window?: number;
  /**
   * The prior counts as this many exact observations, so that the first few tasks (often seen
   * through one wide poll interval each) cannot swing the schedule wildly. An interval tells
   * much less than an exact time, about sigma above all (256 one- or two-poll intervals weigh
   * about as much as 25 exact times), so with single polls a poor sigma guess lingers: lower
   * this when the prior is only a rough guess.
   * @default 8
   */
  priorWeight?: number;
  /**
   * Refit only after this many new observations (until the window is full, after a sixteenth
   * of those in it, if fewer): one more observation out of hundreds barely moves the fit, and
   * refitting costs a pass over the window.
   * @default 8
   */
  refitEvery?: number;
}

export const DEFAULT_SOLVE_TIME_MODEL_OPTIONS: Readonly<Required<SolveTimeModelOptions>> =
  Object.freeze({
    window: 256,
    priorWeight: 8,
    refitEvery: 8,
  });

/** Validates once and names the bad option and value. */
export function resolveSolveTimeModelOptions(
  input: SolveTimeModelOptions = {},
): Required<SolveTimeModelOptions> {
  const options = { ...DEFAULT_SOLVE_TIME_MODEL_OPTIONS, ...input };
  if (!Number.isInteger(options.window) || options.window < 1) {
    throw new RangeError(`SolveTimeModel: window must be an integer >= 1, got ${options.window}`);
  }
  if (!(options.priorWeight >= 0 && Number.isFinite(options.priorWeight))) {
    throw new RangeError(
      `SolveTimeModel: priorWeight must be a finite number >= 0, got ${options.priorWeight}`,
    );
  }
  if (!Number.isInteger(options.refitEvery) || options.refitEvery < 1) {
    throw new RangeError(
      `SolveTimeModel: refitEvery must be an integer >= 1, got ${options.refitEvery}`,
    );
  }
  return options;
}

/** EM iterations per query: a floor, a share per new observation, and a cap for a cold fit. */
const MIN_ITERATIONS = 2;
const ITERATIONS_PER_OBSERVATION = 2;
const MAX_ITERATIONS = 100;
/** Most tasks out a refit reads (a sample beyond that). */
const MAX_OUTSTANDING = 512;
/** Change in mu and sigma (log units) below which the fit counts as converged. */
const TOLERANCE = 1e-4;

/**
 * A method's solve-time distribution, learned from what polls reveal. A task found ready at age
 * b after being not ready at age a was solved somewhere in (a, b]; with only one or two polls
 * per task these intervals are wide, and taking their midpoints would badly bias the estimate.
 * The model instead fits a log-normal to the intervals themselves (maximum likelihood by EM),
 * over a sliding window of recent observations plus the prior.
 *
 * Fitting is lazy and incremental: observing only records; the next query refits, warm-started
 * from the last fit, with an iteration budget proportional to the observations since. A query
 * after every observation therefore costs a few passes over the window at most.
 */
export class SolveTimeModel implements SolveTimeDistribution {
  private readonly options: Required<SolveTimeModelOptions>;
  private readonly prior: LogNormalPrior;
  /** Ring buffers of log-millisecond bounds; lo === hi marks an exact observation. */
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private next = 0;
  private count = 0;
  /** Observations recorded since the last refit. */
  private pending = 0;
  /** `pending` when an unconverged fit last carried on between refits. */
  private carriedOnAt = 0;
  /** Whether the last refit reached TOLERANCE (new observations alone do not clear it). */
  private converged = true;
  private outstanding: (() => Iterable<number>) | undefined;
  private censored: RightCensored | undefined;
  private fit: LogNormalSolveTime;

  constructor(prior: SolveTimePrior, options: SolveTimeModelOptions = {}) {
    if (!(prior.medianMs > 0 && Number.isFinite(prior.medianMs))) {
      throw new RangeError(`SolveTimeModel: prior.medianMs must be > 0, got ${prior.medianMs}`);
    }
    if (!(prior.sigma >= MIN_LOG_SIGMA && prior.sigma <= MAX_LOG_SIGMA)) {
      throw new RangeError(
        `SolveTimeModel: prior.sigma must be in [${MIN_LOG_SIGMA}, ${MAX_LOG_SIGMA}], got ${prior.sigma}`,
      );
    }
    this.options = resolveSolveTimeModelOptions(options);
    this.prior = {
      mu: Math.log(prior.medianMs),
      sigma: prior.sigma,
      weight: this.options.priorWeight,
    };
    this.lo = new Float64Array(this.options.window);
    this.hi = new Float64Array(this.options.window);
    this.fit = new LogNormalSolveTime(this.prior.mu, this.prior.sigma);
  }

  /**
   * A task was not ready at age `lowerMs` (0 if it was never polled before) and ready at age
   * `upperMs`. `upperMs` may be Infinity for a task given up on while still not ready, so that
   * timeouts keep the long tail in view instead of being silently dropped.
   */
  observe(lowerMs: number, upperMs: number): void {
    if (!(lowerMs >= 0 && Number.isFinite(lowerMs))) {
      throw new RangeError(
        `SolveTimeModel.observe: lowerMs must be a finite number >= 0, got ${lowerMs}`,
      );
    }
    if (!(upperMs > lowerMs)) {
      throw new RangeError(
        `SolveTimeModel.observe: upperMs must exceed lowerMs, got (${lowerMs}, ${upperMs}]`,
      );
    }
    this.record(lowerMs > 0 ? Math.log(lowerMs) : -Infinity, Math.log(upperMs));
  }

  /** A solve time known exactly (e.g. from a pingback's timestamp). */
  observeExact(ms: number): void {
    if (!(ms > 0 && Number.isFinite(ms))) {
      throw new RangeError(
        `SolveTimeModel.observeExact: ms must be a finite number > 0, got ${ms}`,
      );
    }
    this.record(Math.log(ms), Math.log(ms));
  }

  private record(lo: number, hi: number): void {
    this.lo[this.next] = lo;
    this.hi[this.next] = hi;
    this.next = (this.next + 1) % this.options.window;
    this.count = Math.min(this.count + 1, this.options.window);
    this.pending++;
  }

  /**
   * Where to read the last not-ready ages of this method's tasks still out. Until the window is
   * full it holds every task solved so far, and the ones still out are the slow ones: left out,
   * the fit would see a sample cut short (early on the median read 25 % low). So while the
   * window fills, each task out counts as "longer than its last not-ready age". A full window is
   * a steady stream's solves, whose short and long ends balance.
   */
  followOutstanding(source: () => Iterable<number>): void {
    this.outstanding = source;
  }

  /** Observations the fit is based on (at most `window`). */
  get samples(): number {
    return this.count;
  }

  /** Mean of log(T), T in milliseconds. */
  get mu(): number {
    return this.current().mu;
  }

  get sigma(): number {
    return this.current().sigma;
  }

  get medianMs(): number {
    return this.current().medianMs;
  }

  get meanMs(): number {
    return this.current().meanMs;
  }

  /** The current fit as a fixed distribution that later observations do not change. */
  snapshot(): LogNormalSolveTime {
    return this.current();
  }

  cdf(ms: number): number {
    return this.current().cdf(ms);
  }

  quantile(p: number): number {
    return this.current().quantile(p);
  }

  conditionalDone(sinceMs: number, ageMs: number): number {
    return this.current().conditionalDone(sinceMs, ageMs);
  }

  timeToReach(sinceMs: number, p: number): number {
    return this.current().timeToReach(sinceMs, p);
  }

  partialMeanMs(loMs: number, hiMs: number): number {
    return this.current().partialMeanMs(loMs, hiMs);
  }

  private current(): LogNormalSolveTime {
    // Refit after a share of the window is new: each refit is a pass over the window per
    // iteration, and one observation among hundreds barely moves the fit.
    const full = this.count === this.options.window;
    const every = full
      ? this.options.refitEvery
      : Math.min(this.options.refitEvery, this.count >> 4);
    const due = this.pending >= Math.max(1, every);
    if (due) {
      this.converged = false;
      this.iterate(
        Math.min(MAX_ITERATIONS, MIN_ITERATIONS + ITERATIONS_PER_OBSERVATION * this.pending),
      );
    } else if (!this.converged && this.pending > this.carriedOnAt) {
      // A fit cut short by its budget carries on a little once per new observation, rather
      // than on every query (a busy scheduler queries the model many times a second).
      this.carriedOnAt = this.pending;
      this.iterate(MIN_ITERATIONS, false);
    }
    return this.fit;
  }

  private iterate(budget: number, refit = true): void {
    let { mu, sigma } = this.fit;
    if (refit) this.censored = this.collectOutstanding();
    for (let i = 0; i < budget && !this.converged; i++) {
      const step = logNormalEmStep(
        this.lo,
        this.hi,
        this.count,
        { mu, sigma },
        this.prior,
        this.censored,
      );
      this.converged = Math.abs(step.mu - mu) + Math.abs(step.sigma - sigma) < TOLERANCE;
      ({ mu, sigma } = step);
    }
    if (refit) {
      this.pending = 0;
      this.carriedOnAt = 0;
    }
    this.fit = new LogNormalSolveTime(mu, sigma);
  }

  /** The tasks out, as right-censored observations; a sample of at most MAX_OUTSTANDING. */
  private collectOutstanding(): RightCensored | undefined {
    if (this.outstanding === undefined || this.count >= this.options.window) return undefined;
    const ages: number[] = [];
    for (const age of this.outstanding()) if (age > 0) ages.push(age);
    if (ages.length === 0) return undefined;
    // Every k-th task, each standing for k: the EM pass stays bounded with thousands out.
    const stride = Math.ceil(ages.length / MAX_OUTSTANDING);
    const kept = Math.ceil(ages.length / stride);
    const lo =
      this.censored !== undefined && this.censored.lo.length >= kept
        ? this.censored.lo
        : new Float64Array(kept);
    for (let i = 0, j = 0; i < ages.length; i += stride, j++) lo[j] = Math.log(ages[i] ?? 1);
    return { lo, count: kept, weight: ages.length / kept };
  }
}
