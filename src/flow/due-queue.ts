import { TimerHeap, type TimerEntry } from '../time/timer-heap.js';

/** Items ordered by when they are due, with O(log n) planning, removal and taking. */
export class DueQueue<T extends { entry: TimerEntry | undefined }> {
  private readonly heap = new TimerHeap();
  private readonly owners = new WeakMap<TimerEntry, T>();

  get size(): number {
    return this.heap.size;
  }

  /** When the earliest item is due, if any. */
  get nextAt(): number | undefined {
    return this.heap.peek()?.at;
  }

  /** Plans `item` at `at`, replacing any plan it had. */
  plan(item: T, at: number): void {
    this.remove(item);
    item.entry = this.heap.push(at, () => undefined);
    this.owners.set(item.entry, item);
  }

  remove(item: T): void {
    if (item.entry) this.heap.remove(item.entry);
    item.entry = undefined;
  }

  /** Takes every item due at or before `horizon`, earliest first. */
  takeUntil(horizon: number): T[] {
    const out: T[] = [];
    for (let head = this.heap.peek(); head && head.at <= horizon; head = this.heap.peek()) {
      this.heap.pop();
      const item = this.owners.get(head);
      if (!item) continue;
      item.entry = undefined;
      out.push(item);
    }
    return out;
  }
}
