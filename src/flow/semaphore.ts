import { AbortError } from '../errors/abort-error.js';

/**
 * A FIFO counting semaphore with abortable waits. `limit` may change at run time; a lower limit
 * takes effect as permits come back.
 */
export class Semaphore {
  private used = 0;
  private readonly waiters: Array<{ resolve: () => void; reject: (e: unknown) => void; signal: AbortSignal | undefined; onAbort: () => void }> = [];

  constructor(private currentLimit: number) {}

  get limit(): number {
    return this.currentLimit;
  }

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  setLimit(limit: number): void {
    this.currentLimit = limit;
    this.drain();
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new AbortError(signal.reason);
    if (this.used < this.currentLimit && this.waiters.length === 0) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new AbortError(signal?.reason));
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
    });
  }

  release(): void {
    this.used = Math.max(0, this.used - 1);
    this.drain();
  }

  private drain(): void {
    while (this.used < this.currentLimit && this.waiters.length > 0) {
      const waiter = this.waiters.shift();
      if (!waiter) return;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.used++;
      waiter.resolve();
    }
  }
}
