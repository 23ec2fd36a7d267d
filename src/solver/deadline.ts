import type { Clock } from '../time/clock.js';

/** Marks the abort reason of a deadline, so callers can tell a timeout from the user's abort. */
export const DEADLINE_REASON = Symbol('captchaai.deadline');

/**
 * Runs `work` with a signal that aborts when the parent aborts or after `ms` on `clock`,
 * whichever comes first, and cleans up the timer and listener either way.
 */
export async function withDeadline<T>(
  clock: Clock,
  ms: number,
  parent: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = new AbortController();
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  clock.sleep(ms, timer.signal).then(
    () => controller.abort(DEADLINE_REASON),
    () => undefined,
  );
  try {
    return await work(controller.signal);
  } finally {
    timer.abort();
    parent?.removeEventListener('abort', onParentAbort);
  }
}
