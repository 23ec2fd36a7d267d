import type { Clock } from '../time/clock.js';

/**
 * The one timer a queue needs: it wakes the owner when the head of the queue may go. Asking for
 * a later wake-up keeps the earlier timer (the owner re-asks when it fires); asking for an earlier
 * one replaces it. Cancelled timers leave nothing behind on the clock.
 */
export class RateTimer {
  private current: { at: number; abort: AbortController } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  /** Wakes the owner at `at` or earlier. */
  wakeAt(now: number, at: number): void {
    if (this.current && this.current.at <= at) return;
    this.cancel();
    const timer = { at, abort: new AbortController() };
    this.current = timer;
    this.clock.sleep(at - now, timer.abort.signal).then(
      () => {
        if (this.current !== timer) return;
        this.current = undefined;
        this.fire();
      },
      () => undefined, // cancelled
    );
  }

  cancel(): void {
    const timer = this.current;
    this.current = undefined;
    timer?.abort.abort();
  }
}
