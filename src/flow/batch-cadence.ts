import type { SolveTimeRegistry } from './solve-time-registry.js';

/**
 * How often to send a batch poll. One batch of up to `maxBatchSize` ids costs one request;
 * spending `pollsPerSolve` requests per solved task at the expected completion rate (tasks in
 * flight over their method's mean solve time: Little's law) gives the interval, clamped to
 * [pollIntervalMs / 5, pollIntervalMs]. More tasks in flight means more completions to find per
 * request, so polls come more often at no extra cost per solved task.
 */
export class BatchCadence {
  private readonly perMethod = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly models: SolveTimeRegistry,
    private readonly options: { maxBatchSize: number; pollIntervalMs: number; pollsPerSolve: number },
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

  intervalMs(): number {
    const { pollIntervalMs, maxBatchSize, pollsPerSolve } = this.options;
    let completionsPerMs = 0;
    for (const [method, count] of this.perMethod) completionsPerMs += count / this.models.get(method).meanMs;
    if (completionsPerMs <= 0) return pollIntervalMs;
    const batches = Math.max(1, Math.ceil(this.total / maxBatchSize));
    const interval = batches / (pollsPerSolve * completionsPerMs);
    return Math.min(pollIntervalMs, Math.max(pollIntervalMs / 5, interval));
  }
}
