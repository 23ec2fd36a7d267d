/** Something due at `eventAt`; `id` breaks ties so equal times pop in a fixed order. */
export interface Due {
  eventAt: number;
  id: number;
}

/** A binary min-heap on (eventAt, id). Push and pop are O(log n); nothing is ever removed early. */
export class EventHeap<T extends Due> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent] as T;
      if (!less(item, p)) break;
      a[i] = p;
      i = parent;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && less(a[r] as T, a[l] as T) ? r : l;
      if (!less(a[child] as T, last)) break;
      a[i] = a[child] as T;
      i = child;
    }
    a[i] = last;
    return top;
  }
}

function less(x: Due, y: Due): boolean {
  return x.eventAt < y.eventAt || (x.eventAt === y.eventAt && x.id < y.id);
}
