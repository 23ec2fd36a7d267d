import type { Account } from './account.js';
import type { Answer } from './answers.js';
import { EventHeap } from './event-heap.js';
import type { PlatformType, ResolvedSimulatorOptions } from './options.js';

/** One accepted task. Its outcome is decided at submit; time only reveals it. */
export interface TaskRecord {
  readonly id: number;
  readonly account: Account;
  /** The CAPTCHA type (solve category): whose platform workers the task occupies. */
  readonly type: PlatformType;
  readonly createdAt: number;
  /** When it is solved (or declared unsolvable): `now >= doneAt` means finished. */
  readonly doneAt: number;
  /** undefined: the task ends in ERROR_CAPTCHA_UNSOLVABLE. */
  readonly answer: Answer | undefined;
  finished: boolean;
  slotHeld: boolean;
  collected: boolean;
  polls: number;
  /** Next bookkeeping event: completion, then expiry at doneAt + retention. */
  eventAt: number;
}

type StoreOptions = Pick<
  ResolvedSimulatorOptions,
  'slotRelease' | 'retentionMs' | 'pricePerSolve' | 'profile'
>;

/**
 * The live tasks. Completion and expiry are computed lazily: `pump(now)` replays every event due
 * by `now` (at its own time), so thousands of tasks in flight need no timers, and records are
 * dropped at retention expiry so a million-task run stays bounded by what is retained.
 */
export class TaskStore {
  private readonly tasks = new Map<number, TaskRecord>();
  private readonly events = new EventHeap<TaskRecord>();

  constructor(private readonly options: StoreOptions) {}

  /** Tasks still held (in flight or within retention). */
  get size(): number {
    return this.tasks.size;
  }

  add(task: TaskRecord): void {
    this.tasks.set(task.id, task);
    this.events.push(task);
  }

  /** The task, if it exists and has not expired (call `pump` first). */
  get(id: number): TaskRecord | undefined {
    return this.tasks.get(id);
  }

  /** Applies every completion and expiry due by `now`, in time order. */
  pump(now: number): void {
    for (;;) {
      const next = this.events.peek();
      if (!next || next.eventAt > now) return;
      this.events.pop();
      if (next.finished) this.expire(next);
      else this.complete(next);
    }
  }

  /** A poll delivered the final answer: in 'collect' mode that frees the slot. */
  collect(task: TaskRecord, now: number): void {
    if (!task.collected) {
      task.collected = true;
      task.account.counters.collected++;
    }
    if (this.options.slotRelease === 'collect' && task.slotHeld) {
      task.slotHeld = false;
      task.account.releaseSlot(task.createdAt, now, task.type);
    }
  }

  private complete(task: TaskRecord): void {
    const account = task.account;
    task.finished = true;
    if (task.answer) {
      account.counters.billedSolves++;
      account.balance -= this.options.pricePerSolve;
    } else {
      account.counters.unsolvable++;
    }
    account.counters.solveMsTotal += task.doneAt - task.createdAt;
    if (account.lastFinishAt === null || task.doneAt > account.lastFinishAt) {
      account.lastFinishAt = task.doneAt;
    }
    if (this.options.slotRelease === 'solve' && task.slotHeld) {
      task.slotHeld = false;
      account.releaseSlot(task.createdAt, task.doneAt, task.type);
    }
    task.eventAt = task.doneAt + this.options.retentionMs;
    this.events.push(task);
  }

  private expire(task: TaskRecord): void {
    if (task.slotHeld) {
      task.slotHeld = false;
      task.account.releaseSlot(task.createdAt, task.eventAt, task.type);
    }
    this.tasks.delete(task.id);
  }
}
