import { AbortError } from '../errors/abort-error.js';

/**
 * Time as the library sees it. Every wait in the library goes through a Clock so that tests and
 * virtual-time simulations can drive time by hand instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since some fixed origin (epoch for the system clock). */
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The abort reason for cancelling a wait whose outcome nobody reads (a deadline timer after the
 * work finished, a loop woken early). Sleeps aborted with it reject with one shared error, so
 * the hot path builds no error object and captures no stack trace.
 */
export const CANCELLED: unique symbol = Symbol('captchaai.cancelled');
const CANCELLED_SLEEP = Object.freeze(new AbortError(CANCELLED));

/** The error a sleep rejects with when `signal` aborts. */
export function sleepAborted(signal: AbortSignal | undefined): AbortError {
  return signal?.reason === CANCELLED ? CANCELLED_SLEEP : new AbortError(signal?.reason);
}

/** Throws the AbortError for an aborted signal, keeping the signal's reason as the cause. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(signal.reason);
}

/** The wall clock. The only Clock that touches real timers. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(sleepAborted(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(sleepAborted(signal));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
});
