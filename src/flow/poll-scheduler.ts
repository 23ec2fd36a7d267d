import { AbortError } from '../errors/abort-error.js';
import { ApiError } from '../errors/api-error.js';
import type { Answer } from '../protocol/answer.js';
import { CANCELLED, type Clock } from '../time/clock.js';
import { singlePollSchedule, type PollSchedule } from './poll-plan.js';
import { ReleasePlans } from './poll-plan-release.js';
import { firstPollAt, nextPollAt, singlePollGaps, type Tracked } from './poll-timing.js';
import type {
  PollOutcome,
  PollRequests,
  PollSchedulerEvents,
  PollSchedulerOptions,
  TrackOptions,
} from './poll-scheduler-types.js';
import { BatchCadence } from './batch-cadence.js';
import { DoneEstimator, freshDoneState } from './done-estimate.js';
import { DueQueue } from './due-queue.js';
import type { DoneEstimate, SlotRelease } from './release-mode.js';
import type { SolveTimeModel } from './solve-time-model.js';
import type { SolveTimeRegistry } from './solve-time-registry.js';

/**
 * The least spacing of done-estimate refreshes per task out, ms: a refresh costs about 0.3 µs
 * per task (measured at 5,000 out), so this holds it under about 0.3 % of one core.
 */
const REFRESH_MS_PER_TASK = 0.1;

/**
 * A task whose next poll would fall after its deadline gets its last one this long before the
 * deadline instead: about a round trip, so an answer solved (and paid for) since the previous
 * poll is still collected rather than left to time out unseen.
 */
const LAST_POLL_LEAD_MS = 1_000;

/**
 * Polls every accepted task of a solver from one loop. No task is polled before an early quantile
 * of its method's learned solve-time distribution; after that, with batch polling (`ids=`) one
 * request answers up to 100 tasks and the cadence is set so polls stay a small share of requests;
 * without it, each task's next poll waits until it is probably done. Every answer teaches the
 * model: the task finished between its last not-ready poll and this one. Where the service holds
 * a thread until the result is collected, polls come much more often (see ReleasePlans).
 */
export class PollScheduler {
  private readonly tasks = new Map<string, Tracked>();
  private readonly due = new DueQueue<Tracked>();
  private mode: 'unknown' | 'batch' | 'single';
  private garbledBatches = 0;
  private wakeAt = Number.POSITIVE_INFINITY;
  private nextTickAt = Number.NEGATIVE_INFINITY;
  private wake: AbortController | undefined;
  private running = false;
  private closed = false;
  private readonly done = new DoneEstimator();
  private readonly singleSchedules = new Map<SolveTimeModel, PollSchedule>();
  private readonly followed = new WeakSet<SolveTimeModel>();
  private readonly cadence: BatchCadence;
  private readonly plans: ReleasePlans;

  constructor(
    private readonly options: PollSchedulerOptions,
    private readonly requests: PollRequests,
    private readonly models: SolveTimeRegistry,
    private readonly clock: Clock,
    private readonly events: Partial<PollSchedulerEvents> = {},
  ) {
    this.mode =
      options.batchPoll === 'never'
        ? 'single'
        : options.batchPoll === 'always'
          ? 'batch'
          : 'unknown';
    this.cadence = new BatchCadence(models, {
      maxBatchSize: options.maxBatchSize,
      pollIntervalMs: options.pollIntervalMs,
      pollsPerSolve: options.batchPollsPerSolve,
      rateBound: options.rateBound,
    });
    this.plans = new ReleasePlans(options, this.cadence);
  }

  get size(): number {
    return this.tasks.size;
  }

  get pollMode(): 'unknown' | 'batch' | 'single' {
    return this.mode;
  }

  /** Follows one accepted task until it is answered; rejects with AbortError when `signal` aborts. */
  track(options: TrackOptions): Promise<PollOutcome> {
    if (options.signal.aborted) return Promise.reject(new AbortError(options.signal.reason));
    return new Promise<PollOutcome>((resolve, reject) => {
      const model = this.modelFor(options.method);
      const onAbort = (): void => {
        this.forget(task);
        reject(new AbortError(options.signal.reason));
      };
      const task: Tracked = {
        ...options,
        model,
        schedule: this.singleScheduleFor(model),
        lastNotReadyAge: 0,
        ...freshDoneState(),
        polls: 0,
        entry: undefined,
        polling: false,
        hurriedNow: options.hurried?.() ?? false,
        settle: (outcome) => {
          options.signal.removeEventListener('abort', onAbort);
          this.forget(task);
          options.onSettled?.();
          resolve(outcome);
        },
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
      this.tasks.set(task.taskId, task);
      this.cadence.add(task.method);
      this.plan(task, this.firstAt(task));
    });
  }

  /**
   * Where to read the service's release mode (the slot controller learns it). Read once per
   * tick, so a change replans the tasks out within about pollIntervalMs / 5.
   */
  followReleaseMode(source: () => SlotRelease): void {
    this.plans.follow(source);
  }

  /** Tasks probably finished on the service but not yet seen so (see DoneEstimator). */
  doneEstimate(): DoneEstimate {
    return { ...this.done.estimateAt(this.clock.now()), sharp: this.mode === 'batch' };
  }

  /**
   * The service measured how many tasks of ours have finished (see DoneEstimator.condition):
   * the estimate takes it in at once.
   */
  doneMeasured(count: number, noiseVariance: number): void {
    this.done.condition([...this.tasks.values()], this.clock.now(), count, noiseVariance);
  }

  /** Stops the loop; tracked tasks keep their promises until their own signals abort. */
  close(): void {
    this.closed = true;
    this.wake?.abort(CANCELLED);
  }

  private plan(task: Tracked, at: number): void {
    const budget = this.options.pollBudget;
    if (budget !== undefined && task.polls >= budget) return; // spent: the deadline ends it
    if (at > task.deadlineAt) {
      const last = task.deadlineAt - LAST_POLL_LEAD_MS;
      if (last <= this.clock.now()) return;
      at = last;
    }
    this.due.plan(task, at);
    if (at < this.wakeAt) this.wake?.abort(CANCELLED);
    this.ensureRunning();
  }

  private forget(task: Tracked): void {
    if (!this.tasks.delete(task.taskId)) return;
    this.done.drop(task);
    this.due.remove(task);
    // Nothing left to poll: end the loop's sleep so no timer outlives the work.
    if (this.due.size === 0) this.wake?.abort(CANCELLED);
    this.cadence.remove(task.method);
  }

  private ensureRunning(): void {
    if (this.running || this.closed) return;
    this.running = true;
    void this.loop().finally(() => {
      this.running = false;
      if (!this.closed && this.due.size > 0) this.ensureRunning();
    });
  }

  private async loop(): Promise<void> {
    while (!this.closed && this.due.size > 0) {
      const dueAt = this.due.nextAt;
      if (dueAt === undefined) break;
      const headAt = this.mode === 'batch' ? this.cadence.nextAt(dueAt) : dueAt;
      const now = this.clock.now();
      if (now >= this.nextTickAt) {
        this.nextTickAt = now + this.tickMs();
        if (this.plans.refresh()) this.replan(now);
        this.rehurry(now);
        this.done.refresh(this.tasks.values(), now);
        this.events.doneEstimateChanged?.();
      }
      if (headAt > now) {
        const until = Math.min(headAt, this.nextTickAt);
        this.wakeAt = until;
        this.wake = new AbortController();
        try {
          await this.clock.sleep(until - now, this.wake.signal);
        } catch {
          // Woken early: an earlier poll was planned, or the scheduler closed.
        }
        this.wakeAt = Number.POSITIVE_INFINITY;
        continue;
      }
      this.dispatch(this.takeDue(now));
    }
  }

  /**
   * Every task due now; with batch polling also those due within one cadence: they ride along in
   * the same request, and polls fall into a steady rhythm instead of trickling out one by one.
   */
  private takeDue(now: number): Tracked[] {
    const horizon = this.mode === 'single' ? now : now + this.plans.batchIntervalMs();
    const due = this.due.takeUntil(horizon);
    let kept = 0;
    for (const task of due) if (this.tasks.has(task.taskId) && !task.polling) due[kept++] = task;
    due.length = kept;
    return due;
  }

  private dispatch(tasks: Tracked[]): void {
    if (this.mode !== 'single' && tasks.length >= 2) {
      this.cadence.sent(this.clock.now());
      for (let i = 0; i < tasks.length; i += this.options.maxBatchSize) {
        void this.pollBatch(tasks.slice(i, i + this.options.maxBatchSize));
      }
      return;
    }
    for (const task of tasks) void this.pollOne(task);
  }

  private async pollOne(task: Tracked): Promise<void> {
    task.polling = true;
    const sentAt = this.clock.now();
    const age = sentAt - task.acceptedAt;
    const likely = task.model.conditionalDone(task.lastNotReadyAge, age) >= 0.5;
    let answer: Answer;
    try {
      answer = await this.requests.one(
        task.taskId,
        likely ? 'poll-likely' : 'poll',
        task.onPollFailed,
      );
    } catch {
      task.polling = false;
      // No answer this time (after the request's own retries): try again a poll interval later.
      if (this.tasks.has(task.taskId))
        this.plan(task, this.clock.now() + this.options.pollIntervalMs);
      return;
    }
    task.polling = false;
    this.events.polled?.([task.taskId], answer.kind === 'ok' ? 1 : 0);
    this.apply(task, answer, age);
    this.events.doneEstimateChanged?.();
  }

  private async pollBatch(batch: Tracked[]): Promise<void> {
    for (const task of batch) task.polling = true;
    const sentAt = this.clock.now();
    let result: Awaited<ReturnType<PollRequests['many']>> | undefined;
    try {
      result = await this.requests.many(
        batch.map((t) => t.taskId),
        (error) => {
          for (const task of batch) task.onPollFailed?.(error);
        },
      );
    } catch {
      result = undefined;
    }
    for (const task of batch) task.polling = false;
    const live = batch.filter((t) => this.tasks.has(t.taskId));
    if (result?.kind === 'answers') {
      this.garbledBatches = 0;
      if (this.mode === 'unknown') this.setMode('batch', 'the service answered ids=');
      let ready = 0;
      for (const task of live) {
        const answer = result.answers.get(task.taskId);
        if (answer?.kind === 'ok') ready++;
        if (answer) this.apply(task, answer, sentAt - task.acceptedAt);
        else this.plan(task, this.clock.now() + this.plans.batchIntervalMs());
      }
      this.events.polled?.(
        batch.map((t) => t.taskId),
        ready,
      );
      this.events.doneEstimateChanged?.();
      return;
    }
    const unsupported = result?.kind === 'error' ? result.unsupported : result?.kind === 'garbled';
    if (
      unsupported &&
      this.options.batchPoll === 'auto' &&
      (this.mode === 'unknown' || ++this.garbledBatches >= 3)
    ) {
      this.setMode(
        'single',
        result?.kind === 'error' ? `ids= answered ${result.code}` : 'ids= answers did not match',
      );
    }
    const retryAt =
      this.mode === 'single' ? this.clock.now() : this.clock.now() + this.options.pollIntervalMs;
    for (const task of live) this.plan(task, retryAt);
  }

  private apply(task: Tracked, answer: Answer, age: number): void {
    task.polls++;
    if (answer.kind === 'ok' && answer.value !== '') {
      if (age > task.lastNotReadyAge) task.model.observe(task.lastNotReadyAge, age);
      task.settle({ kind: 'solved', value: answer.value, extra: answer.extra, polls: task.polls });
      return;
    }
    if (answer.kind === 'error') {
      task.settle({
        kind: 'failed',
        error: new ApiError(answer.code, 'res.php', answer.errorText),
        polls: task.polls,
      });
      return;
    }
    task.lastNotReadyAge = Math.max(task.lastNotReadyAge, age);
    // Just seen unfinished: it no longer counts toward the tasks probably done.
    this.done.drop(task);
    this.plan(task, this.nextAt(task, this.clock.now()));
  }

  private firstAt(task: Tracked): number {
    return firstPollAt(task, this.mode === 'single', this.options, this.plans.schedule(task));
  }

  private nextAt(task: Tracked, now: number): number {
    const { plans } = this;
    const single = this.mode === 'single';
    return nextPollAt(
      task,
      single,
      now,
      plans.batchIntervalMs(),
      this.options.pollBudget,
      plans.schedule(task),
      plans.batchFloor(task),
    );
  }

  /**
   * The release mode changed: brings forward every plan the new mode wants sooner (a task planned
   * under the sparse case-A schedule would otherwise hold its thread idle until then). Plans are
   * never pushed back: a poll already planned early costs one request at most.
   */
  private replan(now: number): void {
    for (const task of this.tasks.values()) {
      const plannedAt = this.due.plannedAt(task);
      if (plannedAt === undefined || task.polling) continue;
      const at = task.polls === 0 ? this.firstAt(task) : this.nextAt(task, now);
      if (at < plannedAt) this.plan(task, Math.max(now, at));
    }
  }

  /**
   * Reads each task's `hurried()`: a task whose type has just become starved at a platform cap
   * has its next poll brought forward to the hurried plan (never pushed back when it ends).
   */
  private rehurry(now: number): void {
    for (const task of this.tasks.values()) {
      if (task.hurried === undefined) continue;
      const hurried = task.hurried();
      if (hurried === task.hurriedNow) continue;
      task.hurriedNow = hurried;
      const plannedAt = this.due.plannedAt(task);
      if (!hurried || plannedAt === undefined || task.polling) continue;
      const at = task.polls === 0 ? this.firstAt(task) : this.nextAt(task, now);
      if (at < plannedAt) this.plan(task, Math.max(now, at));
    }
  }

  /** One single-poll schedule per method: it reads the model at each call, so tasks share it. */
  private singleScheduleFor(model: SolveTimeModel): PollSchedule {
    let schedule = this.singleSchedules.get(model);
    if (schedule === undefined) {
      schedule = singlePollSchedule(model, singlePollGaps(this.options.pollIntervalMs));
      this.singleSchedules.set(model, schedule);
    }
    return schedule;
  }

  /** The method's solve-time model, told where to read its tasks still out. */
  private modelFor(method: string): SolveTimeModel {
    const model = this.models.get(method);
    if (!this.followed.has(model)) {
      this.followed.add(model);
      model.followOutstanding(() => this.lastNotReadyAges(model));
    }
    return model;
  }

  private *lastNotReadyAges(model: SolveTimeModel): Iterable<number> {
    for (const task of this.tasks.values()) if (task.model === model) yield task.lastNotReadyAge;
  }

  /** The loop wakes at least this often while tasks are out, to refresh the done estimate. */
  private tickMs(): number {
    // A refresh costs a pass over the tasks out: with thousands out, and a poll interval shrunk
    // far below a real one, ticks are spaced so that pass stays a small share of the CPU.
    return Math.max(this.options.pollIntervalMs / 5, this.tasks.size * REFRESH_MS_PER_TASK);
  }

  private setMode(mode: 'batch' | 'single', reason: string): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.events.modeChanged?.(mode, reason);
  }
}
