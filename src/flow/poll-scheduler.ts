import { AbortError } from '../errors/abort-error.js';
import { ApiError } from '../errors/api-error.js';
import type { Answer } from '../protocol/answer.js';
import type { Clock } from '../time/clock.js';
import { TimerHeap, type TimerEntry } from '../time/timer-heap.js';
import { firstPollAge, pollBudgetSpacing, singlePollSchedule, type PollSchedule } from './poll-plan.js';
import type { PollOutcome, PollRequests, PollSchedulerEvents, PollSchedulerOptions, TrackOptions } from './poll-scheduler-types.js';
import type { SolveTimeModel } from './solve-time-model.js';
import type { SolveTimeRegistry } from './solve-time-registry.js';

interface Tracked extends TrackOptions {
  model: SolveTimeModel;
  /** P(finished on the service | not ready at the last poll), as of the last tick. */
  pDone: number;
  schedule: PollSchedule;
  lastNotReadyAge: number;
  polls: number;
  entry: TimerEntry | undefined;
  polling: boolean;
  settle: (outcome: PollOutcome) => void;
}

/**
 * Polls every accepted task of a solver from one loop. No task is polled before an early quantile
 * of its method's learned solve-time distribution; after that, with batch polling (`ids=`) one
 * request answers up to 100 tasks and the cadence is set so polls stay a small share of requests;
 * without it, each task's next poll waits until it is probably done. Every answer teaches the
 * model: the task finished between its last not-ready poll and this one.
 */
export class PollScheduler {
  private readonly tasks = new Map<string, Tracked>();
  private readonly due = new TimerHeap();
  private mode: 'unknown' | 'batch' | 'single';
  private garbledBatches = 0;
  private wakeAt = Number.POSITIVE_INFINITY;
  private nextTickAt = Number.NEGATIVE_INFINITY;
  private wake: AbortController | undefined;
  private running = false;
  private closed = false;
  /** Tasks tracked per method, for the expected completion rate. */
  private readonly perMethod = new Map<string, number>();
  private doneMean = 0;
  private doneVariance = 0;

  constructor(
    private readonly options: PollSchedulerOptions,
    private readonly requests: PollRequests,
    private readonly models: SolveTimeRegistry,
    private readonly clock: Clock,
    private readonly events: Partial<PollSchedulerEvents> = {},
  ) {
    this.mode = options.batchPoll === 'never' ? 'single' : options.batchPoll === 'always' ? 'batch' : 'unknown';
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
      const model = this.models.get(options.method);
      const onAbort = (): void => {
        this.forget(task);
        reject(new AbortError(options.signal.reason));
      };
      const task: Tracked = {
        ...options,
        model,
        schedule: singlePollSchedule(model, this.singlePolicy()),
        lastNotReadyAge: 0,
        pDone: 0,
        polls: 0,
        entry: undefined,
        polling: false,
        settle: (outcome) => {
          options.signal.removeEventListener('abort', onAbort);
          this.forget(task);
          options.onSettled?.();
          resolve(outcome);
        },
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
      this.tasks.set(task.taskId, task);
      this.perMethod.set(task.method, (this.perMethod.get(task.method) ?? 0) + 1);
      this.plan(task, this.firstPollAt(task));
    });
  }

  /**
   * How many tracked tasks are probably finished on the service but not yet seen so (mean and
   * variance of a sum of Bernoulli trials), refreshed on every tick of the loop.
   */
  doneEstimate(): { mean: number; variance: number } {
    return { mean: this.doneMean, variance: this.doneVariance };
  }

  private refreshDoneEstimate(now: number): void {
    let mean = 0;
    let variance = 0;
    for (const task of this.tasks.values()) {
      const p = task.model.conditionalDone(task.lastNotReadyAge, now - task.acceptedAt);
      task.pDone = p;
      mean += p;
      variance += p * (1 - p);
    }
    this.doneMean = mean;
    this.doneVariance = variance;
    this.events.doneEstimateChanged?.();
  }

  /** Stops the loop; tracked tasks keep their promises until their own signals abort. */
  close(): void {
    this.closed = true;
    this.wake?.abort();
  }

  private singlePolicy() {
    const gap = this.options.pollIntervalMs;
    return { minGapMs: Math.max(1, gap * 0.4), maxGapMs: gap * 12 };
  }

  /**
   * With a per-task poll budget, the first half of it is spent at the usual pace (most tasks end
   * there); the second half is spread evenly over the time left, so a slow task is still polled
   * near its deadline instead of running out of polls early.
   */
  private budgetGapMs(task: Tracked, now: number): number {
    const budget = this.options.pollBudget;
    if (budget === undefined) return 0;
    const reserve = Math.ceil(budget / 2);
    if (task.polls < budget - reserve) return 0;
    return pollBudgetSpacing(budget - task.polls, task.deadlineAt - now);
  }

  private firstPollAt(task: Tracked): number {
    const floor = this.options.pollIntervalMs / 5;
    if (this.mode === 'single') return task.acceptedAt + task.schedule(0, 0);
    return task.acceptedAt + firstPollAge(task.model, { earlyQuantile: 0.05, minMs: floor });
  }

  private plan(task: Tracked, at: number): void {
    const budget = this.options.pollBudget;
    if (budget !== undefined && task.polls >= budget) return; // spent: the deadline ends it
    if (at > task.deadlineAt) return;
    task.entry = this.due.push(at, () => undefined);
    this.entryTask.set(task.entry, task);
    if (at < this.wakeAt) this.wake?.abort();
    this.ensureRunning();
  }

  private readonly entryTask = new WeakMap<TimerEntry, Tracked>();

  private forget(task: Tracked): void {
    if (!this.tasks.delete(task.taskId)) return;
    this.doneMean = Math.max(0, this.doneMean - task.pDone);
    this.doneVariance = Math.max(0, this.doneVariance - task.pDone * (1 - task.pDone));
    if (task.entry) this.due.remove(task.entry);
    task.entry = undefined;
    // Nothing left to poll: end the loop's sleep so no timer outlives the work.
    if (this.due.size === 0) this.wake?.abort();
    const left = (this.perMethod.get(task.method) ?? 1) - 1;
    if (left > 0) this.perMethod.set(task.method, left);
    else this.perMethod.delete(task.method);
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
      const head = this.due.peek();
      if (!head) break;
      const now = this.clock.now();
      if (now >= this.nextTickAt) {
        this.nextTickAt = now + this.tickMs();
        this.refreshDoneEstimate(now);
      }
      if (head.at > now) {
        const until = Math.min(head.at, this.nextTickAt);
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

  /** Every task due now; with batch polling also those due within half a cadence (free riders). */
  private takeDue(now: number): Tracked[] {
    const horizon = this.mode === 'single' ? now : now + this.batchIntervalMs();
    const out: Tracked[] = [];
    for (let head = this.due.peek(); head && head.at <= horizon; head = this.due.peek()) {
      this.due.pop();
      const task = this.entryTask.get(head);
      if (!task) continue;
      task.entry = undefined;
      if (this.tasks.has(task.taskId) && !task.polling) out.push(task);
    }
    return out;
  }

  private dispatch(tasks: Tracked[]): void {
    if (this.mode !== 'single' && tasks.length >= 2) {
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
      answer = await this.requests.one(task.taskId, likely ? 'poll-likely' : 'poll');
    } catch {
      task.polling = false;
      // No answer this time (after the request's own retries): try again a poll interval later.
      if (this.tasks.has(task.taskId)) this.plan(task, this.clock.now() + this.options.pollIntervalMs);
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
      result = await this.requests.many(batch.map((t) => t.taskId));
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
        else this.plan(task, this.clock.now() + this.batchIntervalMs());
      }
      this.events.polled?.(batch.map((t) => t.taskId), ready);
      this.events.doneEstimateChanged?.();
      return;
    }
    const unsupported = result?.kind === 'error' ? result.unsupported : result?.kind === 'garbled';
    if (unsupported && this.options.batchPoll === 'auto' && (this.mode === 'unknown' || ++this.garbledBatches >= 3)) {
      this.setMode('single', result?.kind === 'error' ? `ids= answered ${result.code}` : 'ids= answers did not match');
    }
    const retryAt = this.mode === 'single' ? this.clock.now() : this.clock.now() + this.options.pollIntervalMs;
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
      task.settle({ kind: 'failed', error: new ApiError(answer.code, 'res.php', answer.errorText), polls: task.polls });
      return;
    }
    task.lastNotReadyAge = Math.max(task.lastNotReadyAge, age);
    // Just seen unfinished: it no longer counts toward the tasks probably done.
    this.doneMean = Math.max(0, this.doneMean - task.pDone);
    this.doneVariance = Math.max(0, this.doneVariance - task.pDone * (1 - task.pDone));
    task.pDone = 0;
    this.plan(task, this.nextPollAt(task));
  }

  private nextPollAt(task: Tracked): number {
    const now = this.clock.now();
    const earliest = now + this.budgetGapMs(task, now);
    if (this.mode === 'single') return Math.max(earliest, task.acceptedAt + task.schedule(task.lastNotReadyAge, task.polls));
    return Math.max(earliest, now + this.batchIntervalMs());
  }

  /**
   * The batch cadence: one batch of `maxBatchSize` costs one request, and spending
   * `batchPollsPerSolve` requests per solved task at the expected completion rate (tasks in
   * flight over their mean solve time, Little's law) gives the interval; clamped to
   * [pollIntervalMs / 5, pollIntervalMs].
   */
  private batchIntervalMs(): number {
    let completionsPerMs = 0;
    for (const [method, count] of this.perMethod) completionsPerMs += count / this.models.get(method).meanMs;
    const min = this.options.pollIntervalMs / 5;
    if (completionsPerMs <= 0) return this.options.pollIntervalMs;
    const batches = Math.max(1, Math.ceil(this.tasks.size / this.options.maxBatchSize));
    const interval = batches / (this.options.batchPollsPerSolve * completionsPerMs);
    return Math.min(this.options.pollIntervalMs, Math.max(min, interval));
  }

  /** The loop wakes at least this often while tasks are out, to refresh the done estimate. */
  private tickMs(): number {
    return this.options.pollIntervalMs / 5;
  }

  private setMode(mode: 'batch' | 'single', reason: string): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.events.modeChanged?.(mode, reason);
  }
}
