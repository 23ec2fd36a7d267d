/**
 * The largest value recorded within the last `windowMs`: a deque of values that fall with time
 * (a newer, larger value makes every older, smaller one irrelevant), so each record and each
 * read costs amortised O(1) however many values the window holds.
 */
export class SlidingMax {
  private readonly times: number[] = [];
  private readonly values: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  record(value: number, now: number): void {
    while (this.values.length > this.head && (this.values.at(-1) as number) <= value) {
      this.values.pop();
      this.times.pop();
    }
    this.values.push(value);
    this.times.push(now);
  }

  /** The largest value recorded in the window ending at `now`, or 0 if none. */
  max(now: number): number {
    while (this.head < this.times.length && now - (this.times[this.head] as number) > this.windowMs)
      this.head++;
    this.compact();
    return this.head < this.values.length ? (this.values[this.head] as number) : 0;
  }

  /** No value recorded so far counts above `ceiling` (it was found to overstate). */
  clampTo(ceiling: number): void {
    for (let i = this.head; i < this.values.length; i++)
      if ((this.values[i] as number) > ceiling) this.values[i] = ceiling;
  }

  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.values.length) return;
    this.values.splice(0, this.head);
    this.times.splice(0, this.head);
    this.head = 0;
  }
}
