/** One pending timer: fires at `at`; `seq` keeps timers due at the same instant in FIFO order. */
export interface TimerEntry {
  at: number;
  seq: number;
  fire: () => void;
  index: number;
}

/** A binary min-heap of timers with O(log n) removal, so cancelled sleeps cost nothing later. */
export class TimerHeap {
  private readonly heap: TimerEntry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, fire: () => void): TimerEntry {
    const entry: TimerEntry = { at, seq: this.seq++, fire, index: -1 };
    this.pushEntry(entry);
    return entry;
  }

  /** Queues an entry (not queued now) again at `at`, after any other due at that instant. */
  schedule(entry: TimerEntry, at: number): void {
    entry.at = at;
    entry.seq = this.seq++;
    this.pushEntry(entry);
  }

  pushEntry(entry: TimerEntry): void {
    entry.index = this.heap.length;
    this.heap.push(entry);
    this.up(entry.index);
  }

  peek(): TimerEntry | undefined {
    return this.heap[0];
  }

  pop(): TimerEntry | undefined {
    const top = this.heap[0];
    if (top) this.remove(top);
    return top;
  }

  remove(entry: TimerEntry): void {
    const i = entry.index;
    if (i < 0 || this.heap[i] !== entry) return;
    const last = this.heap.pop() as TimerEntry;
    entry.index = -1;
    if (i === this.heap.length) return;
    this.heap[i] = last;
    last.index = i;
    this.up(i);
    this.down(last.index);
  }

  private less(a: TimerEntry, b: TimerEntry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i] as TimerEntry;
    const b = this.heap[j] as TimerEntry;
    this.heap[i] = b;
    this.heap[j] = a;
    a.index = j;
    b.index = i;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i] as TimerEntry, this.heap[parent] as TimerEntry)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l] as TimerEntry, this.heap[m] as TimerEntry)) m = l;
      if (r < n && this.less(this.heap[r] as TimerEntry, this.heap[m] as TimerEntry)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
