import type { SolveTimeDistribution } from './solve-time-log-normal.js';

// Where to put a task's polls, as pure functions of a solve-time distribution and ages (ms since
// the submit was accepted). The poll scheduler owns the clock; these only return ages.

export interface FirstPollOptions {
  /**
   * No poll before this quantile of the solve time: earlier polls would nearly always find the
   * task unfinished and only spend requests.
   * @default 0.05
   */
  earlyQuantile?: number;
  /** Floor on the first poll's age, whatever the model says (e.g. the service's advice). */
  minMs: number;
}

/** The earliest age worth polling at, for services where polls are cheap (batch polling). */
export function firstPollAge(model: SolveTimeDistribution, options: FirstPollOptions): number {
  const p = options.earlyQuantile ?? 0.05;
  if (!(p >= 0 && p < 1))
    throw new RangeError(`firstPollAge: earlyQuantile must be in [0, 1), got ${p}`);
  return Math.max(options.minMs, model.quantile(p));
}

export interface SinglePollOptions {
  /** The chance, given the task was not ready at the last poll, that this poll finds it done. */
  targetProbability: number;
  /** Never poll sooner than this after the last poll. */
  minGapMs: number;
  /** Never wait longer than this after the last poll, however unlikely completion looks. */
  maxGapMs: number;
}

/**
 * The next poll age for a service without batch polling, where every poll is a request of its
 * own: wait until the task is probably done (targetProbability), not merely possibly done.
 * `lastNotReadyAgeMs` is 0 before the first poll.
 */
export function nextSinglePollAge(
  model: SolveTimeDistribution,
  lastNotReadyAgeMs: number,
  options: SinglePollOptions,
): number {
  const { targetProbability: p, minGapMs, maxGapMs } = options;
  if (!(p > 0 && p < 1))
    throw new RangeError(`nextSinglePollAge: targetProbability must be in (0, 1), got ${p}`);
  if (!(minGapMs > 0 && maxGapMs >= minGapMs)) {
    throw new RangeError(
      `nextSinglePollAge: need 0 < minGapMs <= maxGapMs, got ${minGapMs} and ${maxGapMs}`,
    );
  }
  const age = model.timeToReach(lastNotReadyAgeMs, p);
  return Math.min(lastNotReadyAgeMs + maxGapMs, Math.max(lastNotReadyAgeMs + minGapMs, age));
}

/**
 * The age of the next poll, given the last age at which the task was not ready (0 before the
 * first poll) and the number of polls made so far. Deterministic, so it can be evaluated exactly.
 */
export type PollSchedule = (lastNotReadyAgeMs: number, pollsSoFar: number) => number;

export interface SinglePollPolicy {
  /**
   * targetProbability of the 1st, 2nd, ... poll; the last one repeats. Rising targets: a task
   * missed by the first poll is already late, and its later polls should be surer still.
   * @default [0.65, 0.8, 0.9]
   */
  targets?: readonly number[];
  /** @default 2000 */
  minGapMs?: number;
  /** @default 60000 */
  maxGapMs?: number;
  /**
   * A per-task poll budget and the task's timeout: gaps widen so the budget lasts until the
   * timeout (2captcha-style services ban an account that polls one task more than 20 times).
   */
  budget?: { polls: number; timeoutMs: number };
}

export const DEFAULT_SINGLE_POLL_POLICY = Object.freeze({
  targets: Object.freeze([0.65, 0.8, 0.9]),
  minGapMs: 2000,
  maxGapMs: 60_000,
});

/** The default schedule for services without batch polling, reading `model` at each call. */
export function singlePollSchedule(
  model: SolveTimeDistribution,
  policy: SinglePollPolicy = {},
): PollSchedule {
  const targets = policy.targets ?? DEFAULT_SINGLE_POLL_POLICY.targets;
  const minGapMs = policy.minGapMs ?? DEFAULT_SINGLE_POLL_POLICY.minGapMs;
  const maxGapMs = policy.maxGapMs ?? DEFAULT_SINGLE_POLL_POLICY.maxGapMs;
  if (targets.length === 0) throw new RangeError('singlePollSchedule: targets must not be empty');
  const { budget } = policy;
  return (lastNotReadyAgeMs, pollsSoFar) => {
    const targetProbability = targets[Math.min(pollsSoFar, targets.length - 1)] ?? 0.9;
    let gap = minGapMs;
    if (budget !== undefined) {
      gap = Math.max(
        gap,
        pollBudgetSpacing(budget.polls - pollsSoFar, budget.timeoutMs - lastNotReadyAgeMs),
      );
    }
    return nextSinglePollAge(model, lastNotReadyAgeMs, {
      targetProbability,
      minGapMs: gap,
      maxGapMs: Math.max(gap, maxGapMs),
    });
  };
}

/**
 * The smallest gap between polls that makes `remainingBudget` polls last `remainingTimeMs`
 * (until the task's timeout): spaced at least this far apart, the budget cannot run out before
 * the task is given up. Infinity when the budget is spent.
 */
export function pollBudgetSpacing(remainingBudget: number, remainingTimeMs: number): number {
  if (Number.isNaN(remainingBudget) || Number.isNaN(remainingTimeMs)) {
    throw new RangeError(`pollBudgetSpacing: got NaN (${remainingBudget}, ${remainingTimeMs})`);
  }
  if (remainingBudget <= 0) return Infinity;
  if (remainingTimeMs <= 0) return 0;
  return Math.ceil(remainingTimeMs / Math.floor(remainingBudget));
}
