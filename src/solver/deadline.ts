import { AbortFanout } from '../time/abort-fanout.js';
import { CANCELLED, type Clock } from '../time/clock.js';
import { TimerHeap, type TimerEntry } from '../time/timer-heap.js';

/** Marks the abort reason of a deadline, so callers can tell a timeout from the user's abort. */
export const DEADLINE_REASON = Symbol('captchaai.deadline');
/** Marks the abort of a task that waited for capacity longer than `capacityWaitMs`. */
export const CAPACITY_WAIT_REASON = Symbol('captchaai.capacity-wait');

const ignore = (): void => undefined;

/**
 * Every task deadline of a solver on one timer: a heap of deadlines and a single sleep until the
 * earliest. A task that ends takes its entry out of the heap (O(log n)) instead of cancelling a
 * timer of its own; the sleep is cancelled once no deadline is left, so nothing outlives the work.
 */
export class Deadlines {
  private readonly heap = new TimerHeap();
  private armedAt = Number.POSITIVE_INFINITY;
  private wake: AbortController | undefined;

  constructor(readonly clock: Clock) {}

  /** Calls `fire` at `at` (on the clock) unless the entry is removed first. */
  add(at: number, fire: () => void): TimerEntry {
    const entry = this.heap.push(at, fire);
    if (at < this.armedAt) this.arm(at);
    return entry;
  }

  remove(entry: TimerEntry): void {
    this.heap.remove(entry);
    // An earlier entry leaving is fine: the sleep wakes, finds nothing due and sleeps on.
    if (this.heap.size === 0) this.disarm();
  }

  private arm(at: number): void {
    this.disarm();
    const wake = new AbortController();
    this.wake = wake;
    this.armedAt = at;
    this.clock.sleep(Math.max(0, at - this.clock.now()), wake.signal).then(() => {
      if (this.wake === wake) this.fire();
    }, ignore);
  }

  private disarm(): void {
    this.wake?.abort(CANCELLED);
    this.wake = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private fire(): void {
    this.wake = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) {
      this.heap.remove(top);
      top.fire();
    }
    const next = this.heap.peek();
    if (next && next.at < this.armedAt) this.arm(next.at);
  }
}

/** What the scopes of one solver share: the links to long-lived signals, and the deadlines. */
export interface ScopeShared {
  fanout: AbortFanout;
  deadlines: Deadlines;
}

/**
 * One task's signal: it aborts when a parent aborts (the caller's signal, the solver closing) or
 * when its deadline passes, whichever comes first. A solve costs one AbortController, one heap
 * entry and no listener on a shared signal (see AbortFanout, Deadlines); ending it fires nothing.
 */
export class TaskScope {
  private readonly controller = new AbortController();
  private deadline: TimerEntry | undefined;
  private endsAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly shared: ScopeShared,
    private readonly first: AbortSignal | undefined,
    private readonly second: AbortSignal | undefined,
  ) {
    if (shared.fanout.link(this.controller, first)) shared.fanout.link(this.controller, second);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** When the current deadline aborts the scope (clock time); infinite with none. */
  get deadlineAt(): number {
    return this.endsAt;
  }

  /**
   * Aborts the scope with `reason` (DEADLINE_REASON by default) after `ms`, unless it ends first
   * or another deadline replaces this one.
   */
  startDeadline(ms: number, reason: symbol = DEADLINE_REASON): void {
    this.stopDeadline();
    if (this.controller.signal.aborted || ms === Number.POSITIVE_INFINITY) return;
    const { deadlines } = this.shared;
    const controller = this.controller;
    this.endsAt = deadlines.clock.now() + ms;
    this.deadline = deadlines.add(this.endsAt, () => controller.abort(reason));
  }

  /** Drops the deadline: time from now on does not count (a wait for capacity). */
  stopDeadline(): void {
    if (this.deadline) this.shared.deadlines.remove(this.deadline);
    this.deadline = undefined;
    this.endsAt = Number.POSITIVE_INFINITY;
  }

  /** Unlinks from the parents and drops the deadline. Call once the work is over. */
  end(): void {
    this.shared.fanout.unlink(this.controller, this.first);
    this.shared.fanout.unlink(this.controller, this.second);
    if (this.deadline) this.shared.deadlines.remove(this.deadline);
    this.deadline = undefined;
  }
}

/**
 * Runs `work` with a signal that aborts when any parent aborts or after `ms` on `clock`,
 * whichever comes first, and cleans up the timer and links either way.
 */
export async function withDeadline<T>(
  clock: Clock,
  ms: number,
  parents: AbortSignal | undefined | readonly [AbortSignal | undefined, AbortSignal | undefined],
  work: (signal: AbortSignal) => Promise<T>,
  shared: ScopeShared = { fanout: new AbortFanout(), deadlines: new Deadlines(clock) },
): Promise<T> {
  const [first, second] = Array.isArray(parents)
    ? (parents as readonly [AbortSignal | undefined, AbortSignal | undefined])
    : [parents as AbortSignal | undefined, undefined];
  const scope = new TaskScope(shared, first, second);
  scope.startDeadline(ms);
  try {
    return await work(scope.signal);
  } finally {
    scope.end();
  }
}
