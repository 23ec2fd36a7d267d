/** What each request asks for, in the order a scarce token is spent on it. */
export type RatePriority = 'poll-likely' | 'submit' | 'poll' | 'account';

/**
 * A poll likely to find a result frees a slot and returns an answer; a submit uses a free slot;
 * other polls mostly find nothing; account calls (balance, threads) can always wait.
 */
export const RATE_PRIORITIES: readonly RatePriority[] = Object.freeze([
  'poll-likely',
  'submit',
  'poll',
  'account',
]);

const LANE: Readonly<Record<RatePriority, number>> = Object.freeze({
  'poll-likely': 0,
  submit: 1,
  poll: 2,
  account: 3,
});

/** One queued acquire. The owner settles it; `queued` turns false once it leaves the queue. */
export interface RateWaiter {
  readonly lane: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  queued: boolean;
  prev: RateWaiter | undefined;
  next: RateWaiter | undefined;
}

interface Lane {
  head: RateWaiter | undefined;
  tail: RateWaiter | undefined;
}

/**
 * Strict priority, FIFO within a priority: one doubly linked list per priority, so enqueue,
 * dequeue and removal of an aborted waiter are all O(1) however many thousands are waiting.
 */
export class RateWaiterQueue {
  private readonly lanes: Lane[] = RATE_PRIORITIES.map(() => ({
    head: undefined,
    tail: undefined,
  }));
  private count = 0;

  get size(): number {
    return this.count;
  }

  static laneOf(priority: RatePriority): number {
    const lane = LANE[priority];
    if (lane === undefined) throw new TypeError(`Unknown priority ${JSON.stringify(priority)}`);
    return lane;
  }

  static waiter(
    lane: number,
    resolve: () => void,
    reject: (error: unknown) => void,
    signal: AbortSignal | undefined,
  ): RateWaiter {
    const none = undefined;
    return { lane, resolve, reject, signal, onAbort: none, queued: false, prev: none, next: none };
  }

  push(waiter: RateWaiter): void {
    const lane = this.lanes[waiter.lane] as Lane;
    waiter.prev = lane.tail;
    waiter.next = undefined;
    if (lane.tail) lane.tail.next = waiter;
    else lane.head = waiter;
    lane.tail = waiter;
    waiter.queued = true;
    this.count++;
  }

  /** Whether anyone waits with this priority. */
  has(priority: RatePriority): boolean {
    return this.lanes[RateWaiterQueue.laneOf(priority)]?.head !== undefined;
  }

  /** The waiter to serve next: highest priority, then longest waiting. */
  peek(): RateWaiter | undefined {
    for (const lane of this.lanes) if (lane.head) return lane.head;
    return undefined;
  }

  remove(waiter: RateWaiter): void {
    if (!waiter.queued) return;
    const lane = this.lanes[waiter.lane] as Lane;
    if (waiter.prev) waiter.prev.next = waiter.next;
    else lane.head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else lane.tail = waiter.prev;
    waiter.prev = waiter.next = undefined;
    waiter.queued = false;
    this.count--;
  }

  /** Empties the queue, returning the waiters in service order. */
  takeAll(): RateWaiter[] {
    const all: RateWaiter[] = [];
    for (let w = this.peek(); w; w = this.peek()) {
      this.remove(w);
      all.push(w);
    }
    return all;
  }
}
