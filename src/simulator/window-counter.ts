/**
 * Counts events in a sliding window, remembering at most `limit + 1` timestamps: enough to tell
 * whether more than `limit` happened, without growing with the request rate.
 */
export class WindowCounter {
  private readonly times: number[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly limit: number,
  ) {}

  /** Records an event at `now`; returns how many (capped at limit + 1) fall in the window. */
  hit(now: number): number {
    this.prune(now);
    this.times.push(now);
    if (this.times.length > this.limit + 1) this.times.shift();
    return this.times.length;
  }

  /** Events in the window ending at `now` (capped at limit + 1). */
  count(now: number): number {
    this.prune(now);
    return this.times.length;
  }

  clear(): void {
    this.times.length = 0;
  }

  private prune(now: number): void {
    while (this.times.length > 0 && (this.times[0] as number) <= now - this.windowMs) {
      this.times.shift();
    }
  }
}
