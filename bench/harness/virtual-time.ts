import FakeTimers from '@sinonjs/fake-timers';
import { AbortError } from '../../src/errors/abort-error.js';
import type { Clock } from '../../src/time/clock.js';

/** Virtual time starts here: a fixed date, so HTTP-date Retry-After answers are reproducible. */
export const VIRTUAL_EPOCH = Date.UTC(2025, 0, 1);

/**
 * Virtual time for a whole process: @sinonjs/fake-timers replaces the global setTimeout,
 * setInterval and Date, so our Solver (through `clock`), the Simulator (same `clock`) and the
 * baselines' libraries (p-retry, p-queue: global timers) all live on one clock. setImmediate,
 * nextTick and queueMicrotask stay real: the driver needs them to let pending work run between
 * jumps.
 */
export interface VirtualTime {
  /** The faked time as our Clock interface. */
  readonly clock: Clock;
  /** Virtual ms since install. */
  elapsed(): number;
  /** Calls `fn` every `ms` of virtual time until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
  /** Calls `fn` once at `ms` after install (virtual); returns a cancel function. */
  at(ms: number, fn: () => void): () => void;
  /**
   * Runs until `done` settles: let every queued continuation run (one real setImmediate), then
   * jump to the next timer and fire it, and so on. Throws on a deadlock (no timer left while
   * pending) or after `maxMs` of virtual time.
   */
  run<T>(done: Promise<T>, maxMs?: number): Promise<T>;
  /**
   * As `run`, but after `maxMs` of virtual time it gives up on `done` instead of throwing:
   * `{ settled: false }`, and whatever `done` was waiting for is left behind.
   */
  runFor<T>(
    done: Promise<T>,
    maxMs: number,
  ): Promise<{ settled: true; value: T } | { settled: false }>;
  /** Restores the real timers and Date. */
  uninstall(): void;
}

const realSetImmediate = globalThis.setImmediate;

function flush(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

export function installVirtualTime(now = VIRTUAL_EPOCH): VirtualTime {
  const fake = FakeTimers.install({
    now,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  const clock: Clock = {
    now: () => fake.now,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          fake.clearTimeout(timer);
          reject(new AbortError(signal?.reason));
        };
        const timer = fake.setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          // Fake time moves in whole ms (and truncates delays): round up, so no sleep wakes
          // before its time and a sub-ms wait cannot spin at the same instant.
          Math.max(0, Math.ceil(ms)),
        );
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
  return {
    clock,
    elapsed: () => fake.now - now,
    every(ms, fn) {
      const id = fake.setInterval(fn, ms);
      return () => fake.clearInterval(id);
    },
    at(ms, fn) {
      const id = fake.setTimeout(fn, Math.max(0, now + ms - fake.now));
      return () => fake.clearTimeout(id);
    },
    async run<T>(done: Promise<T>, maxMs = Number.POSITIVE_INFINITY): Promise<T> {
      const outcome = await this.runFor(done, maxMs);
      if (!outcome.settled) throw new Error(`virtual time: still running after ${maxMs} ms`);
      return outcome.value;
    },
    async runFor<T>(
      done: Promise<T>,
      maxMs: number,
    ): Promise<{ settled: true; value: T } | { settled: false }> {
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
      const limit = fake.now + maxMs;
      await flush();
      while (!settled) {
        if (fake.countTimers() === 0) {
          throw new Error('virtual time: no timers left but the run is still pending (deadlock)');
        }
        fake.next();
        if (fake.now > limit) return { settled: false };
        await flush();
      }
      return { settled: true, value: await watched };
    },
    uninstall: () => fake.uninstall(),
  };
}
