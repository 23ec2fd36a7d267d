import { sleepAborted, type Clock } from './clock.js';
import { TimerHeap, type TimerEntry } from './timer-heap.js';

/** Lets every promise continuation that is already queued run before time moves on. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock whose time moves only when told: `advance(ms)` in unit tests, `runUntil()` in
 * virtual-time simulations (jumps straight to the next timer whenever nothing else can run).
 * Timers due at the same instant fire in the order they were set.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly timers = new TimerHeap();

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Number of sleeps not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(sleepAborted(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.timers.remove(entry);
        reject(sleepAborted(signal));
      };
      const entry: TimerEntry = this.timers.push(this.current + Math.max(0, ms), () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.timers.peek();
      if (!next || next.at > target) break;
      this.timers.pop();
      this.current = Math.max(this.current, next.at);
      next.fire();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /**
   * Runs virtual time until `done` settles, jumping to the next timer whenever the program is
   * idle. Throws if no timer is left while `done` is still pending (a deadlock), or if more than
   * `maxMs` of virtual time passes.
   */
  async runUntil<T>(done: Promise<T>, maxMs = Number.POSITIVE_INFINITY): Promise<T> {
    let settled = false;
    const watched = done.then(
      (v) => {
        settled = true;
        return v;
      },
      (e: unknown) => {
        settled = true;
        throw e;
      },
    );
    watched.catch(() => undefined);
    const limit = this.current + maxMs;
    await flushMicrotasks();
    while (!settled) {
      const next = this.timers.pop();
      if (!next) throw new Error('ManualClock.runUntil: no timers left but the promise is pending');
      if (next.at > limit) {
        this.timers.pushEntry(next);
        throw new Error(`ManualClock.runUntil: still pending after ${maxMs} ms of virtual time`);
      }
      this.current = Math.max(this.current, next.at);
      next.fire();
      await flushMicrotasks();
    }
    return watched;
  }
}
