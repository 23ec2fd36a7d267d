import { setMaxListeners } from 'node:events';
import type { Solution, SolveOptions, SolveResult } from './types.js';

/**
 * One finished task of solveMany: its position in the input, the task, and its fate. `S` is the
 * solution's type (SolutionOf the task type).
 */
export type SolveManyItem<T, S extends Solution = Solution> =
  | { index: number; task: T; ok: true; result: SolveResult<S> }
  | { index: number; task: T; ok: false; error: unknown };

export interface SolveManyOptions {
  /** Tasks taken from the input and not yet finished, at most. @default twice the slot limit, at least 16 */
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * Runs tasks from any (async) iterable through `solve` and yields each as it finishes, in
 * completion order. Input is pulled only as room appears, so a million-line source costs memory
 * for the open tasks alone. Leaving the loop early aborts the tasks still open.
 */
export async function* solveMany<T, S extends Solution>(
  tasks: Iterable<T> | AsyncIterable<T>,
  solve: (task: T, options: SolveOptions) => Promise<SolveResult<S>>,
  openLimit: () => number,
  options: SolveManyOptions = {},
  onRoom?: (listener: () => void) => () => void,
): AsyncGenerator<SolveManyItem<T, S>, void, undefined> {
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  setMaxListeners(0, signal);
  const iterator =
    Symbol.asyncIterator in tasks ? tasks[Symbol.asyncIterator]() : tasks[Symbol.iterator]();
  const finished: Array<SolveManyItem<T, S>> = [];
  let wake: (() => void) | undefined;
  let open = 0;
  let index = 0;
  let exhausted = false;
  const limit = (): number => options.concurrency ?? openLimit();
  const settle = (item: SolveManyItem<T, S>): void => {
    open--;
    finished.push(item);
    wake?.();
  };
  // When the slot limit grows, more input may start before any task finishes.
  const unsubscribe = onRoom?.(() => wake?.());
  try {
    for (;;) {
      // Hand over what finished before taking more input: results never pile up unread.
      while (finished.length > 0) {
        const item = finished.shift() as SolveManyItem<T, S>;
        yield item;
      }
      while (!exhausted && open < limit() && !signal.aborted) {
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const task = next.value;
        const i = index++;
        open++;
        solve(task, { signal }).then(
          (result) => settle({ index: i, task, ok: true, result }),
          (error: unknown) => settle({ index: i, task, ok: false, error }),
        );
      }
      if (open === 0 && finished.length === 0 && (exhausted || signal.aborted)) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (finished.length > 0 || (!exhausted && open < limit())) resolve();
      });
      wake = undefined;
    }
  } finally {
    unsubscribe?.();
    stop.abort(new Error('solveMany ended'));
    await iterator.return?.();
  }
}
