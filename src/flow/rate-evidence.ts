/** At most one mark per this long: a burst of 429s is one empty-bucket moment, not dozens. */
const MARK_GAP_MS = 250;
const MAX_MARKS = 64;

/**
 * What the server's answers prove about its request-rate limit. A 429 says its bucket was empty
 * then; from that moment on it can accept at most one request more than it refills, so between a
 * 429 and a later one `(answered - 1) / elapsed` is a rate it did sustain, at or under its limit
 * however deep its bucket. (A server counting a sliding window accepts up to one window more;
 * over a span of many windows that is small.) Spans shorter than `minSpanMs` say too little;
 * spans older than `horizonMs` may predate a change of plan.
 */
export class RateEvidence {
  private answered = 0;
  /** Time and answered count at recent 429s, oldest first. */
  private readonly marks: Array<{ at: number; answered: number }> = [];

  constructor(
    private readonly minSpanMs: number,
    private readonly horizonMs: number,
  ) {}

  /** A request was answered without a 429. */
  answer(): void {
    this.answered++;
  }

  /** A 429 arrived at `now`: the server's bucket was empty. */
  throttled(now: number): void {
    const last = this.marks[this.marks.length - 1];
    if (last && now - last.at < MARK_GAP_MS) {
      // Keep the latest moment of a burst: fewer answers lie after it, so it proves no more.
      last.at = now;
      last.answered = this.answered;
      return;
    }
    this.marks.push({ at: now, answered: this.answered });
    if (this.marks.length > MAX_MARKS) this.marks.shift();
  }

  /**
   * The highest rate proven sustained between a recent 429 and now (a 429 at `now`), per
   * second; undefined when no span is long enough.
   */
  provenRate(now: number): number | undefined {
    while (this.marks.length > 0 && now - (this.marks[0]?.at ?? now) > this.horizonMs) {
      this.marks.shift();
    }
    let best: number | undefined;
    for (const mark of this.marks) {
      const span = now - mark.at;
      if (span < this.minSpanMs) break;
      const rate = ((this.answered - mark.answered - 1) * 1000) / span;
      if (rate > 0 && (best === undefined || rate > best)) best = rate;
    }
    return best;
  }

  /** Forgets every mark: spans across a server outage say nothing about its rate limit. */
  clear(): void {
    this.marks.length = 0;
  }
}
