import type { BatchCadence } from './batch-cadence.js';
import {
  collectPollSchedule,
  DEFAULT_COLLECT_LAG_FRACTION,
  type CollectPollPolicy,
} from './poll-plan-collect.js';
import type { PollSchedule } from './poll-plan.js';
import type { PollSchedulerOptions } from './poll-scheduler-types.js';
import { budgetReserve, type Tracked } from './poll-timing.js';
import type { SlotRelease } from './release-mode.js';
import type { SolveTimeModel } from './solve-time-model.js';

/**
 * Which poll plans apply, by when the service frees a thread. At the solve (case A, the default
 * until the slot controller learns otherwise) a late poll costs only the application's latency,
 * so polls stay sparse. At collection (case B) a finished, uncollected task holds its thread:
 * single polls then follow the solve-time hazard (poll-plan-collect.ts) and batch polls come
 * often enough that the lag stays a few percent of the solve time.
 */
export class ReleasePlans {
  private source: () => SlotRelease = () => 'solve';
  private current: SlotRelease = 'solve';
  /** Case-B schedules, one per method model (each caches its own calibration). */
  private readonly collectSchedules = new WeakMap<SolveTimeModel, PollSchedule>();
  /** Schedules of hurried tasks, one per method model. */
  private readonly hurriedSchedules = new WeakMap<SolveTimeModel, PollSchedule>();

  /** The options hurried schedules are calibrated with (a looser lag, see HURRIED_LAG_FRACTION). */
  private readonly hurriedOptions: PollSchedulerOptions;

  constructor(
    private readonly options: PollSchedulerOptions,
    private readonly cadence: BatchCadence,
  ) {
    this.hurriedOptions = { ...options, collectLagFraction: HURRIED_LAG_FRACTION };
  }

  /** Where to read the release mode from; it is read again on each `refresh()`. */
  follow(source: () => SlotRelease): void {
    this.source = source;
    this.current = source();
  }

  /** Reads the release mode; true when it changed since the last read. */
  refresh(): boolean {
    const mode = this.source();
    if (mode === this.current) return false;
    this.current = mode;
    return true;
  }

  /**
   * The single-poll schedule for `task` under the release mode in force. A hurried task (its type
   * starved at a platform cap) is polled on the case-B plan whatever the mode, at a looser lag:
   * its finished-unseen time keeps one task of its type waiting, not a thread of the account.
   */
  schedule(task: Tracked): PollSchedule {
    if (this.current === 'collect')
      return this.collectSchedule(task, this.collectSchedules, this.options);
    if (task.hurriedNow)
      return this.collectSchedule(task, this.hurriedSchedules, this.hurriedOptions);
    return task.schedule;
  }

  private collectSchedule(
    task: Tracked,
    cache: WeakMap<SolveTimeModel, PollSchedule>,
    options: PollSchedulerOptions,
  ): PollSchedule {
    let schedule = cache.get(task.model);
    if (!schedule) {
      schedule = collectPollSchedule(task.model, collectPollPolicy(options));
      cache.set(task.model, schedule);
    }
    return schedule;
  }

  batchIntervalMs(): number {
    if (this.current !== 'collect') return this.cadence.intervalMs();
    return this.cadence.intervalMs(this.options.collectLagFraction ?? DEFAULT_COLLECT_LAG_FRACTION);
  }

  /**
   * A schedule batch polls of `task` must not run ahead of: in case B with a per-task poll
   * budget, the fast cadence would spend the budget before most tasks end, so the
   * budget-calibrated single schedule paces them.
   */
  batchFloor(task: Tracked): PollSchedule | undefined {
    if (this.current !== 'collect' || this.options.pollBudget === undefined) return undefined;
    return this.schedule(task);
  }
}

/**
 * The case-B policy, its gaps scaled by the poll interval (5 s: 0.5 s to 10 s): where a finished
 * task holds a thread until collected, polling a little more often than the service's advice is
 * what keeps the threads busy. With a per-task budget, the polls budgetGapMs does not hold back
 * must reach the 95 % quantile.
 */
export function collectPollPolicy(options: PollSchedulerOptions): CollectPollPolicy {
  const { pollIntervalMs, pollBudget, collectLagFraction } = options;
  return {
    ...(collectLagFraction === undefined ? {} : { lagFraction: collectLagFraction }),
    minGapMs: pollIntervalMs / 10,
    maxGapMs: pollIntervalMs * 2,
    ...(pollBudget === undefined
      ? {}
      : { budget: { polls: pollBudget - budgetReserve(pollBudget) } }),
  };
}

/**
 * The mean poll lag aimed at for a hurried task, as a share of the mean solve time: looser than
 * case B's, since the lag costs a worker of one type rather than a thread of the account.
 */
export const HURRIED_LAG_FRACTION = 0.1;
