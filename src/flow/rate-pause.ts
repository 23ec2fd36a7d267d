import type { Random } from '../time/random.js';

/**
 * A server pause for the whole account (Retry-After, a ban), and the spread after it: the requests
 * it held leave at random times over `spreadMs`, not all in the millisecond it ends, or they would
 * meet the server as one burst.
 */
export class RatePause {
  /** Clock time until which every request is held; 0 if never paused. */
  until = 0;
  private pending = false;
  private spreadEndsAt = 0;
  private nextAt = 0;

  constructor(
    private readonly spreadMs: number,
    private readonly random: Random,
  ) {}

  /** Extends the pause to at least `now + ms`; never shortens it. */
  extend(now: number, ms: number): void {
    if (now + ms <= this.until) return;
    this.until = now + ms;
    this.pending = true;
    this.spreadEndsAt = this.nextAt = 0;
  }

  /** How long the head of a queue of `waiting` requests must still wait; 0 if it may go. */
  waitMs(now: number, waiting: number): number {
    if (now < this.until) return this.until - now;
    if (this.pending) {
      this.pending = false;
      // Spread only the requests the pause held; later arrivals find no crowd to spread.
      if (waiting > 0) {
        this.spreadEndsAt = this.until + this.spreadMs;
        this.nextAt = this.gapFrom(now, waiting);
      }
    }
    return Math.max(0, this.nextAt - now);
  }

  /** A request left at `now`, `waiting` are still queued: sets when the next one may go. */
  released(now: number, waiting: number): void {
    if (now < this.spreadEndsAt) this.nextAt = this.gapFrom(now, waiting);
  }

  /** A random gap with mean (spread left) / (waiters left), so the last leave near its end. */
  private gapFrom(now: number, waiting: number): number {
    const left = this.spreadEndsAt - now;
    if (left <= 0 || waiting === 0) return now;
    return Math.min(this.spreadEndsAt, now + (this.random() * 2 * left) / waiting);
  }
}
