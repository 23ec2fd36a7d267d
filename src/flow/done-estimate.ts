import type { DoneEstimate } from './release-mode.js';

/** What the estimate needs of a tracked task. */
export interface DoneCandidate {
  acceptedAt: number;
  lastNotReadyAge: number;
  /** This task's share of the estimate, as of the last refresh. */
  pDone: number;
  model: { conditionalDone(sinceMs: number, ageMs: number): number; readonly samples: number };
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
 * scheduler's ticks; each poll answer adjusts it at once, so it is never stale where it matters.
 */
export class DoneEstimator {
  private mean = 0;
  private variance = 0;

  get estimate(): DoneEstimate {
    return { mean: this.mean, variance: this.variance };
  }

  refresh(tasks: Iterable<DoneCandidate>, now: number): void {
    let mean = 0;
    let variance = 0;
    for (const task of tasks) {
      const p = task.model.samples < MIN_SAMPLES ? 0 : task.model.conditionalDone(task.lastNotReadyAge, now - task.acceptedAt);
      task.pDone = p;
      mean += p;
      variance += p * (1 - p);
    }
    this.mean = mean;
    this.variance = variance;
  }

  /** The task left (answered, abandoned) or was just seen unfinished: its share goes. */
  drop(task: DoneCandidate): void {
    this.mean = Math.max(0, this.mean - task.pDone);
    this.variance = Math.max(0, this.variance - task.pDone * (1 - task.pDone));
    task.pDone = 0;
  }
}
