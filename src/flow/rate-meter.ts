/** Past this many kept timestamps the oldest are overwritten: counts saturate, memory does not grow. */
const MAX_ENTRIES = 1 << 20;

/**
 * Send times of the last `windowMs`, in a growable ring of doubles: recording is O(1) and
 * allocation-free once the ring has grown to the account's rate. Times must not go backwards.
 */
export class RateMeter {
  private times = new Float64Array(64);
  private head = 0;
  private size = 0;

  constructor(readonly windowMs: number) {}

  record(now: number): void {
    this.evict(now);
    if (this.size === this.times.length) {
      if (this.times.length >= MAX_ENTRIES) {
        this.head = (this.head + 1) & (this.times.length - 1);
        this.size--;
      } else {
        this.grow();
      }
    }
    this.times[(this.head + this.size) & (this.times.length - 1)] = now;
    this.size++;
  }

  /** Sends in `(now - ms, now]`, for `ms <= windowMs`. */
  countSince(now: number, ms: number): number {
    this.evict(now);
    // Times are sorted: binary search for the first one inside the span.
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid) > now - ms) hi = mid;
      else lo = mid + 1;
    }
    return this.size - lo;
  }

  /**
   * Send rate per second over the window. For evenly spaced sends it is exact: `n` sends span
   * `n - 1` gaps, and the span is counted from the oldest send to now plus one mean gap, so a
   * pause after the last send lowers the rate as it should. A burst at one instant is spread over
   * at least half the window rather than read as an infinite rate.
   */
  rate(now: number): number {
    this.evict(now);
    const n = this.size;
    if (n === 0) return 0;
    const oldest = this.at(0);
    const newest = this.at(n - 1);
    const gap = n > 1 ? (newest - oldest) / (n - 1) : 0;
    return (n * 1000) / Math.max(newest - oldest + gap, this.windowMs / 2);
  }

  private at(i: number): number {
    return this.times[(this.head + i) & (this.times.length - 1)] ?? 0;
  }

  private evict(now: number): void {
    const mask = this.times.length - 1;
    while (this.size > 0 && (this.times[this.head] ?? 0) <= now - this.windowMs) {
      this.head = (this.head + 1) & mask;
      this.size--;
    }
  }

  private grow(): void {
    const next = new Float64Array(this.times.length * 2);
    for (let i = 0; i < this.size; i++) next[i] = this.at(i);
    this.times = next;
    this.head = 0;
  }
}
