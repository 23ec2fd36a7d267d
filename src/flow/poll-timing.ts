import type { DoneState } from './done-estimate.js';
import type { TimerEntry } from '../time/timer-heap.js';
import { firstPollAge, pollBudgetSpacing, type PollSchedule } from './poll-plan.js';
import type { PollOutcome, PollSchedulerOptions, TrackOptions } from './poll-scheduler-types.js';
import type { SolveTimeModel } from './solve-time-model.js';

/** A task the poll scheduler follows. */
export interface Tracked extends TrackOptions, DoneState {
  model: SolveTimeModel;
  schedule: PollSchedule;
  lastNotReadyAge: number;
  polls: number;
  entry: TimerEntry | undefined;
  polling: boolean;
  /** `hurried()` as read at the latest tick: plans change only when it does. */
  hurriedNow: boolean;
  settle: (outcome: PollOutcome) => void;
}

/** Gaps for services without batch polling, scaled by the poll interval (5 s: 2 s to 60 s). */
export function singlePollGaps(pollIntervalMs: number): { minGapMs: number; maxGapMs: number } {
  return { minGapMs: Math.max(1, pollIntervalMs * 0.4), maxGapMs: pollIntervalMs * 12 };
}

/**
 * When to poll a task first: in single-poll mode when it is probably done; with batch polls (or
 * before knowing) at an early quantile of its solve time, since riding along costs nothing.
 */
export function firstPollAt(
  task: Tracked,
  single: boolean,
  options: PollSchedulerOptions,
  schedule = task.schedule,
): number {
  if (single) return task.acceptedAt + schedule(0, 0);
  return (
    task.acceptedAt +
    firstPollAge(task.model, { earlyQuantile: 0.05, minMs: options.pollIntervalMs / 5 })
  );
}

/**
 * When to poll a task next after a not-ready answer at `now`. `batchFloor`: a schedule batch
 * polls must not run ahead of (a fast cadence would spend a poll budget before most tasks end).
 */
export function nextPollAt(
  task: Tracked,
  single: boolean,
  now: number,
  batchIntervalMs: number,
  budget: number | undefined,
  schedule = task.schedule,
  batchFloor?: PollSchedule,
): number {
  const earliest = now + budgetGapMs(task, now, budget);
  if (single)
    return Math.max(earliest, task.acceptedAt + schedule(task.lastNotReadyAge, task.polls));
  const floor = batchFloor ? task.acceptedAt + batchFloor(task.lastNotReadyAge, task.polls) : 0;
  return Math.max(earliest, now + batchIntervalMs, floor);
}

/**
 * With a per-task poll budget, the first half of it is spent at the usual pace (most tasks end
 * there); the second half is spread evenly over the time left, so a slow task is still polled
 * near its deadline instead of running out of polls early.
 */
export function budgetGapMs(task: Tracked, now: number, budget: number | undefined): number {
  if (budget === undefined) return 0;
  if (task.polls < budget - budgetReserve(budget)) return 0;
  return pollBudgetSpacing(budget - task.polls, task.deadlineAt - now);
}

/** Polls of a budget kept for slow tasks, spread evenly until their deadline. */
export function budgetReserve(budget: number): number {
  return Math.ceil(budget / 2);
}
