import type { DoneEstimate } from './release-mode.js';

/** What the estimate reads of a method's solve-time fit. */
export interface DoneDistribution {
  /** log P(T > ms), cheap and to about 1e-7 relative. */
  approxLogSurvival(ms: number): number;
  /** log of the density at `ms`, per millisecond. */
  logDensity(ms: number): number;
}

/** What the estimate needs of a tracked task. */
export interface DoneCandidate {
  acceptedAt: number;
  lastNotReadyAge: number;
  /** This task's share of the estimate, as of the last refresh. */
  pDone: number;
  /** How fast that share grows, per ms, as of the last refresh. */
  pRate: number;
  /**
   * log P(T > lastNotReadyAge) under `sinceFit`, kept between refreshes: it changes only when
   * the task is polled or the fit moves, and recomputing it would double a refresh's cost.
   */
  sinceLogSurvival: number;
  sinceAge: number;
  sinceFit: DoneDistribution | undefined;
  /**
   * What a measurement of the finished count (`condition`) moved this task's share by, and its
   * chance of being unfinished then: the shift fades as that chance does (a task believed less
   * likely finished at the measurement still finishes later), and goes when the task is polled.
   */
  shift: number;
  shiftBase: number;
  /** The model's own share, before any shift, as of the last refresh. */
  pModel: number;
  model: { snapshot(): DoneDistribution; readonly samples: number };
}

/** The fields of a task that the estimate itself keeps. */
export type DoneState = Omit<DoneCandidate, 'acceptedAt' | 'lastNotReadyAge' | 'model'>;

/** The estimate's own fields of a task just accepted: nothing read yet. */
export function freshDoneState(): DoneState {
  return {
    pDone: 0,
    pRate: 0,
    pModel: 0,
    shift: 0,
    shiftBase: 1,
    sinceLogSurvival: 0,
    sinceAge: -1,
    sinceFit: undefined,
  };
}

/**
 * Below this many observed solves a method's model is mostly its prior: its tasks are left out,
 * since a wrong guess here means submits the service refuses.
 */
const MIN_SAMPLES = 30;

/**
 * How many tracked tasks have probably finished on the service but were not yet seen so: the
 * mean and variance of a sum of Bernoulli trials, one per task, each P(finished by now | not
 * ready at its last poll) under its method's learned solve-time model. Refreshed in full on the
 * scheduler's ticks and carried forward between them at the rate tasks are expected to finish
 * (with hundreds of tasks out, dozens finish between two ticks); each poll answer adjusts it at
 * once, so it is never stale where it matters.
 */
export class DoneEstimator {
  private mean = 0;
  private variance = 0;
  /** Sum of what measurements moved the tasks' shares by (see `condition`). */
  private shifted = 0;
  private unknown = 0;
  /** d(mean)/dt per ms at the last refresh. */
  private slope = 0;
  private refreshedAt = 0;

  /** The estimate carried forward to `now` at the expected finishing rate. */
  estimateAt(now: number): DoneEstimate {
    const grown = this.slope * Math.max(0, now - this.refreshedAt);
    // The variance of a Bernoulli sum grows by at most as much as its mean.
    return {
      mean: this.mean + grown,
      variance: this.variance + grown,
      shifted: this.shifted,
      unknown: this.unknown,
    };
  }

  refresh(tasks: Iterable<DoneCandidate>, now: number): void {
    let mean = 0;
    let variance = 0;
    let slope = 0;
    let shifted = 0;
    let unknown = 0;
    // One fit per method for the whole pass: a live model may refit on a query.
    const fits = new Map<DoneCandidate['model'], DoneDistribution>();
    for (const task of tasks) {
      let p = 0;
      let rate = 0;
      task.pModel = 0;
      const age = now - task.acceptedAt;
      if (task.model.samples < MIN_SAMPLES) unknown++;
      else if (age > task.lastNotReadyAge) {
        let fit = fits.get(task.model);
        if (fit === undefined) fits.set(task.model, (fit = task.model.snapshot()));
        if (task.sinceFit !== fit || task.sinceAge !== task.lastNotReadyAge) {
          task.sinceFit = fit;
          task.sinceAge = task.lastNotReadyAge;
          task.sinceLogSurvival = fit.approxLogSurvival(task.lastNotReadyAge);
        }
        // P(done by age | not done at since) = 1 - S(age) / S(since); its rate f(age) / S(since).
        p = -Math.expm1(fit.approxLogSurvival(age) - task.sinceLogSurvival);
        rate = Math.exp(fit.logDensity(age) - task.sinceLogSurvival);
        task.pModel = p;
        if (task.shift !== 0) {
          // Both the shift and the rate scale with the chance of still being unfinished.
          p = Math.min(1, Math.max(0, p + (task.shift * (1 - p)) / task.shiftBase));
          rate *= Math.max(0, 1 - task.shift / task.shiftBase);
        }
      }
      task.pDone = p;
      task.pRate = rate;
      shifted += p - task.pModel;
      mean += p;
      variance += p * (1 - p);
      slope += rate;
    }
    this.mean = mean;
    this.variance = variance;
    this.slope = slope;
    this.shifted = shifted;
    this.unknown = unknown;
    this.refreshedAt = now;
  }

  /**
   * The finished count was measured at `now` (the account turned a submit away: exactly the
   * tasks of ours past its threads had finished), give or take `noiseVariance` (a limit off by
   * one). The estimate moves to where a Gaussian posterior puts it, and each task's share by one
   * common shift of its log-odds (the tilt that conditioning a sum of Bernoulli trials gives),
   * so the tasks most in doubt carry the correction; polls and time then wash it out as they
   * would the doubt itself.
   */
  condition(
    list: readonly DoneCandidate[],
    now: number,
    measured: number,
    noiseVariance: number,
  ): void {
    this.refresh(list, now);
    if (this.variance <= 0) return;
    const target =
      this.mean + (this.variance / (this.variance + noiseVariance)) * (measured - this.mean);
    const tilt = tiltFor(list, target);
    const odds = Math.exp(tilt);
    for (const task of list) {
      const p = task.pDone;
      const base = 1 - task.pModel;
      if (base <= 0 || p <= 0 || p >= 1) continue;
      const moved = (p * odds) / (1 - p + p * odds);
      task.shift = moved - task.pModel;
      task.shiftBase = base;
    }
    this.refresh(list, now);
  }

  /** The task left (answered, abandoned) or was just seen unfinished: its share goes. */
  drop(task: DoneCandidate): void {
    task.shift = 0;
    this.shifted -= task.pDone - task.pModel;
    task.pModel = 0;
    this.mean = Math.max(0, this.mean - task.pDone);
    this.variance = Math.max(0, this.variance - task.pDone * (1 - task.pDone));
    this.slope = Math.max(0, this.slope - task.pRate);
    task.pDone = 0;
    task.pRate = 0;
  }
}

/** The log-odds shift that brings the tasks' shares to sum to `target` (Newton's method). */
function tiltFor(tasks: readonly DoneCandidate[], target: number): number {
  let tilt = 0;
  for (let i = 0; i < 20; i++) {
    const odds = Math.exp(tilt);
    let sum = 0;
    let slope = 0;
    for (const task of tasks) {
      const p = task.pDone;
      if (p <= 0 || p >= 1) {
        sum += p;
        continue;
      }
      const moved = (p * odds) / (1 - p + p * odds);
      sum += moved;
      slope += moved * (1 - moved);
    }
    if (slope <= 0) break;
    const step = (target - sum) / slope;
    // Bounded steps: the sum is flat far out, where a full Newton step would overshoot.
    tilt += Math.max(-2, Math.min(2, step));
    if (Math.abs(target - sum) < 1e-3) break;
  }
  return tilt;
}
