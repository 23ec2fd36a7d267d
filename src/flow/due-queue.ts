import { TimerHeap, type TimerEntry } from '../time/timer-heap.js';

/** A heap entry that knows its item: one per item, reused each time the item is planned. */
interface DueEntry<T> extends TimerEntry {
  readonly item: T;
}

function noop(): void {}

/**
 * Items ordered by when they are due, with O(log n) planning, removal and taking. Each item keeps
 * one entry for its whole life, re-planned in place: thousands of tasks out re-plan on every
 * poll answer, and an entry plus a lookup per plan showed in the profiles.
 */
export class DueQueue<T extends { entry: TimerEntry | undefined }> {
  private readonly heap = new TimerHeap();

  get size(): number {
    return this.heap.size;
  }

  /** When the earliest item is due, if any. */
  get nextAt(): number | undefined {
    return this.heap.peek()?.at;
  }

  /** When `item` is planned, or undefined if it is not in the queue. */
  plannedAt(item: T): number | undefined {
    const entry = item.entry;
    return entry !== undefined && entry.index >= 0 ? entry.at : undefined;
  }

  /** Plans `item` at `at`, replacing any plan it had. */
  plan(item: T, at: number): void {
    let entry = item.entry;
    if (entry === undefined) {
      const fresh: DueEntry<T> = { at, seq: 0, fire: noop, index: -1, item };
      item.entry = entry = fresh;
    } else {
      this.heap.remove(entry);
    }
    this.heap.schedule(entry, at);
  }

  remove(item: T): void {
    if (item.entry) this.heap.remove(item.entry);
  }

  /** Takes every item due at or before `horizon`, earliest first. */
  takeUntil(horizon: number): T[] {
    const out: T[] = [];
    for (let head = this.heap.peek(); head && head.at <= horizon; head = this.heap.peek()) {
      this.heap.pop();
      out.push((head as DueEntry<T>).item);
    }
    return out;
  }
}
