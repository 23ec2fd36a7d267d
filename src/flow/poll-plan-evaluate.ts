import type { PollSchedule } from './poll-plan.js';
import type { SolveTimeDistribution } from './solve-time-log-normal.js';

/** What a poll schedule costs and how late it notices, for tasks drawn from a distribution. */
export interface PollScheduleEvaluation {
  /** Expected polls per task, counting every poll up to the one that finds it ready. */
  polls: number;
  /** Expected time from completion to the poll that sees it, over tasks seen before the timeout. */
  lagMs: number;
  /** Probability that a task is still unseen after the last poll (timeout or budget reached). */
  missProbability: number;
  /** The schedule's poll ages, in order (the same for every task still unfinished). */
  pollAgesMs: number[];
}

export interface EvaluateScheduleOptions {
  /** The last poll is made at this age at the latest; the task is given up after it. @default Infinity */
  timeoutMs?: number;
  /** Stop after this many polls. @default 1000 */
  maxPolls?: number;
}

/** Below this chance of a task still being unfinished, further polls do not change the sums. */
const NEGLIGIBLE = 1e-12;

/**
 * Exact expected polls and lag of a deterministic schedule when solve times follow
 * `distribution`: poll k happens only if the task was not ready at poll k-1, and a task solved
 * at T in (t(k-1), t(k)] waits t(k) - T. No sampling, so tests can assert tight bounds.
 */
export function expectedPolls(
  distribution: SolveTimeDistribution,
  schedule: PollSchedule,
  options: EvaluateScheduleOptions = {},
): PollScheduleEvaluation {
  const timeoutMs = options.timeoutMs ?? Infinity;
  const maxPolls = options.maxPolls ?? 1000;
  const pollAgesMs: number[] = [];
  let last = 0;
  let unfinished = 1;
  let polls = 0;
  let lagSum = 0;
  while (pollAgesMs.length < maxPolls && unfinished > NEGLIGIBLE && last < timeoutMs) {
    const next = schedule(last, pollAgesMs.length);
    if (Number.isNaN(next) || next <= last) {
      throw new RangeError(
        `expectedPolls: the schedule went from age ${last} to ${next}; ages must increase`,
      );
    }
    // Infinity: the schedule makes no further poll (its budget is spent).
    if (next === Infinity) break;
    const age = Math.min(next, timeoutMs);
    // Found ready at this poll: solved in (last, age], which has probability unfinished * P(done).
    const found = unfinished * distribution.conditionalDone(last, age);
    polls += unfinished;
    lagSum += age * found - distribution.partialMeanMs(last, age);
    unfinished -= found;
    pollAgesMs.push(age);
    last = age;
  }
  const seen = 1 - unfinished;
  return {
    polls,
    lagMs: seen > 0 ? lagSum / seen : 0,
    missProbability: unfinished,
    pollAgesMs,
  };
}
