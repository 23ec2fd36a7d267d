/**
 * Lets a loop sleep until something changes (a task finished, the thread limit grew, a stop).
 * A wake with no one waiting is dropped: the loop re-checks its conditions before each wait
 * without yielding, so it cannot miss one.
 */
export class Waker {
  private pending: { promise: Promise<void>; resolve: () => void } | undefined;

  wait(): Promise<void> {
    if (!this.pending) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.pending = { promise, resolve };
    }
    return this.pending.promise;
  }

  wake(): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve();
  }
}
