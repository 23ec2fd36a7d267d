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
  model: { snapshot(): DoneDistribution; readonly samples: number };
}

/**
 * Below this many observed solves a method's model is mostly its prior: its tasks are left out,
 * since a wrong guess here means submits the service refuses.
 */
const MIN_SAMPLES = 100;

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
  /** d(mean)/dt per ms at the last refresh. */
  private slope = 0;
  private refreshedAt = 0;

  /** The estimate carried forward to `now` at the expected finishing rate. */
  estimateAt(now: number): DoneEstimate {
    const grown = this.slope * Math.max(0, now - this.refreshedAt);
    // The variance of a Bernoulli sum grows by at most as much as its mean.
    return { mean: this.mean + grown, variance: this.variance + grown };
  }

  refresh(tasks: Iterable<DoneCandidate>, now: number): void {
    let mean = 0;
    let variance = 0;
    let slope = 0;
    // One fit per method for the whole pass: a live model may refit on a query.
    const fits = new Map<DoneCandidate['model'], DoneDistribution>();
    for (const task of tasks) {
      let p = 0;
      let rate = 0;
      const age = now - task.acceptedAt;
      if (task.model.samples >= MIN_SAMPLES && age > task.lastNotReadyAge) {
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
      }
      task.pDone = p;
      task.pRate = rate;
      mean += p;
      variance += p * (1 - p);
      slope += rate;
    }
    this.mean = mean;
    this.variance = variance;
    this.slope = slope;
    this.refreshedAt = now;
  }

  /** The task left (answered, abandoned) or was just seen unfinished: its share goes. */
  drop(task: DoneCandidate): void {
    this.mean = Math.max(0, this.mean - task.pDone);
    this.variance = Math.max(0, this.variance - task.pDone * (1 - task.pDone));
    this.slope = Math.max(0, this.slope - task.pRate);
    task.pDone = 0;
    task.pRate = 0;
  }
}
