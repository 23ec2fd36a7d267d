import { CANCELLED, type Clock } from '../time/clock.js';

/** Marks the abort reason of a deadline, so callers can tell a timeout from the user's abort. */
export const DEADLINE_REASON = Symbol('captchaai.deadline');

/**
 * Runs `work` with a signal that aborts when any parent aborts or after `ms` on `clock`,
 * whichever comes first, and cleans up the timer and listeners either way. Cheaper than
 * AbortSignal.any on a path taken once per task.
 */
export async function withDeadline<T>(
  clock: Clock,
  ms: number,
  parents: AbortSignal | undefined | ReadonlyArray<AbortSignal | undefined>,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const list = Array.isArray(parents) ? (parents as ReadonlyArray<AbortSignal | undefined>) : [parents as AbortSignal | undefined];
  const controller = new AbortController();
  const timer = new AbortController();
  const unlink = linkSignals(controller, list);
  clock.sleep(ms, timer.signal).then(
    () => controller.abort(DEADLINE_REASON),
    () => undefined,
  );
  try {
    return await work(controller.signal);
  } finally {
    timer.abort(CANCELLED);
    unlink();
  }
}

/** Aborts `controller` with the reason of the first parent that aborts; returns the unlinker. */
export function linkSignals(controller: AbortController, parents: ReadonlyArray<AbortSignal | undefined>): () => void {
  const linked: Array<[AbortSignal, () => void]> = [];
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const onAbort = (): void => controller.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    linked.push([parent, onAbort]);
  }
  return () => {
    for (const [parent, onAbort] of linked) parent.removeEventListener('abort', onAbort);
  };
}
