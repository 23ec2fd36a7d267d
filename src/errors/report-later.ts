/**
 * Throws `error` on its own, after the current task: an uncaught exception the process reports
 * (and, by default, ends on), as an EventTarget listener's would be. What called the failing
 * callback has gone on by then. For errors of code the library calls but does not own (event
 * listeners, change callbacks), which must neither break it nor vanish.
 */
export function reportLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
