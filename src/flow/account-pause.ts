import type { Clock } from '../time/clock.js';

/**
 * A pause shared by every request of one account: a Retry-After or a ban stops all traffic, not
 * just the request that met it, or the others would run into the same wall.
 */
export class AccountPause {
  private until = 0;

  constructor(private readonly clock: Clock) {}

  /** Extends the pause to at least `now + ms` (never shortens it). */
  pauseFor(ms: number): void {
    this.until = Math.max(this.until, this.clock.now() + ms);
  }

  get remainingMs(): number {
    return Math.max(0, this.until - this.clock.now());
  }

  /** Waits out the pause, re-checking in case it was extended meanwhile. */
  async wait(signal?: AbortSignal): Promise<void> {
    for (let left = this.remainingMs; left > 0; left = this.remainingMs) {
      await this.clock.sleep(left, signal);
    }
  }
}
