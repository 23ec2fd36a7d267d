import type { SolveTimeRegistry } from './solve-time-registry.js';

/**
 * Batch polls per solved task while the request rate holds submits back: each poll then costs a
 * submit, so a result may wait longer for its poll (with the slot freed at completion a late poll
 * holds no thread; with release at collection the slots fill and the rate stops binding).
 */
const RATE_BOUND_POLLS_PER_SOLVE = 0.03;
/** ...and how much longer than pollIntervalMs the gap may grow then. */
const RATE_BOUND_STRETCH = 6;
/** Steps towards the interval that is its own collection lag's fixed point (see intervalMs). */
const FIXED_POINT_STEPS = 4;

/**
 * How often to send a batch poll. One batch of up to `maxBatchSize` ids costs one request;
 * spending `pollsPerSolve` requests per solved task at the expected completion rate (tasks in
 * flight over their method's mean solve time: Little's law) gives the interval, clamped to
 * [pollIntervalMs / 5, pollIntervalMs]. More tasks in flight means more completions to find per
 * request, so polls come more often at no extra cost per solved task. While `rateBound()` says
 * the request rate holds submits back, polls are spaced out further.
 */
export class BatchCadence {
  private readonly perMethod = new Map<string, number>();
  private total = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** Scratch for intervalMs: each method's mean, in perMethod's order. */
  private readonly means: number[] = [];

  constructor(
    private readonly models: SolveTimeRegistry,
    private readonly options: {
      maxBatchSize: number;
      pollIntervalMs: number;
      pollsPerSolve: number;
      rateBound?: (() => boolean) | undefined;
    },
  ) {}

  add(method: string): void {
    this.perMethod.set(method, (this.perMethod.get(method) ?? 0) + 1);
    this.total++;
  }

  remove(method: string): void {
    const left = (this.perMethod.get(method) ?? 1) - 1;
    if (left > 0) this.perMethod.set(method, left);
    else this.perMethod.delete(method);
    this.total = Math.max(0, this.total - 1);
  }

  /** A batch poll left at `now`. */
  sent(now: number): void {
    this.lastSentAt = now;
  }

  /**
   * When the next batch poll may go, if the earliest task is due at `dueAt`. While the rate binds,
   * not before one interval after the last: otherwise each newly submitted task's first poll would
   * set the rhythm, and polls would come as often as submits allow whatever the interval says.
   */
  nextAt(dueAt: number): number {
    if (this.options.rateBound?.() !== true) return dueAt;
    return Math.max(dueAt, this.lastSentAt + this.intervalMs());
  }

  /**
   * `lagFraction`, where finished tasks hold their threads until collected: unless the rate
   * binds, the interval is at most twice that share of the shortest mean solve time in flight,
   * so the mean lag (half an interval) stays within that share.
   */
  intervalMs(lagFraction?: number): number {
    const { pollIntervalMs, maxBatchSize } = this.options;
    const bound = this.options.rateBound?.() === true;
    const pollsPerSolve = bound
      ? Math.min(this.options.pollsPerSolve, RATE_BOUND_POLLS_PER_SOLVE)
      : this.options.pollsPerSolve;
    const maxMs = bound ? pollIntervalMs * RATE_BOUND_STRETCH : pollIntervalMs;
    if (this.total === 0) return pollIntervalMs;
    // One read of each method's mean per call: reading a live model may refit it.
    const means = this.means;
    means.length = 0;
    let shortestMeanMs = Number.POSITIVE_INFINITY;
    for (const method of this.perMethod.keys()) {
      const { meanMs } = this.models.get(method);
      means.push(meanMs);
      shortestMeanMs = Math.min(shortestMeanMs, meanMs);
    }
    const batches = Math.max(1, Math.ceil(this.total / maxBatchSize));
    // A task stays in flight for its solve and then about half an interval until the batch poll
    // that collects it, so by Little's law the tasks out complete at sum(count / (mean + I / 2)):
    // counting them over the solve alone overstates completions by the share already finished
    // and waiting, and polls come that much more often than pollsPerSolve asks. The interval
    // that spends pollsPerSolve at that rate is a fixed point; a few steps reach it (each step
    // closes all but I / (2 (mean + I / 2)) of the gap), the clamp keeps it finite.
    const clamp = (ms: number) => Math.min(maxMs, Math.max(pollIntervalMs / 5, ms));
    let interval = 0;
    for (let step = 0; step < FIXED_POINT_STEPS; step++) {
      let completionsPerMs = 0;
      let i = 0;
      for (const count of this.perMethod.values()) {
        completionsPerMs += count / ((means[i++] as number) + interval / 2);
      }
      interval = clamp(batches / (pollsPerSolve * completionsPerMs));
    }
    if (lagFraction !== undefined && !bound)
      interval = Math.min(interval, 2 * lagFraction * shortestMeanMs);
    return clamp(interval);
  }
}
