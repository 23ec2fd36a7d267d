/** At most one mark per this long: a burst of 429s is one empty-bucket moment, not dozens. */
const MARK_GAP_MS = 250;
const MAX_MARKS = 64;
/** How often the answer count is noted for spans that start anywhere (see provenRate). */
const CHECKPOINT_MS = 1_000;

interface Mark {
  at: number;
  answered: number;
}

/**
 * What the server's answers prove about its request-rate limit. A 429 says its bucket was empty
 * then; from that moment on it can accept at most one request more than it refills, so between a
 * 429 and a later one `(answered - 1) / elapsed` is a rate it did sustain, at or under its limit
 * however deep its bucket. (A server counting a sliding window accepts up to one window more;
 * over a span of many windows that is small.) Spans shorter than `minSpanMs` say too little;
 * spans older than `horizonMs` may predate a change of plan.
 *
 * Spans that start at a 429 prove little when the client spent part of them under the limit
 * with the server's bucket full (after a Retry-After pause it always is): what overflowed is
 * lost to the proof. A span may start anywhere instead if the bucket's depth is bounded: from
 * any moment the server accepts at most its depth more than it refills. The depth is bounded by
 * the first 429 of all: the server's bucket, full at most, was emptied by the requests sent
 * before it, so it held no more than those it accepted (a client that starts idle and an
 * account nobody else uses; a client that starts slowly only gets a loose bound).
 */
export class RateEvidence {
  private answered = 0;
  /** Time and answered count at recent 429s, oldest first. */
  private readonly marks: Mark[] = [];
  /** Time and answered count about every CHECKPOINT_MS, oldest first. */
  private readonly checkpoints: Mark[] = [];
  private firstThrottledAt: number | undefined;
  /** Requests sent before the first 429 arrived and accepted: at least the bucket's depth. */
  private acceptedCold = 0;
  /** False once a 429 came at a rate the depth bound proved: the bound was wrong. */
  private depthTrusted = true;
  /** The last rate proven through the depth bound, if it was the best proof. */
  private depthProof: number | undefined;

  constructor(
    private readonly minSpanMs: number,
    private readonly horizonMs: number,
  ) {}

  /** A request sent at `sentAt` was answered without a 429 at `now`. */
  answer(now: number, sentAt = now): void {
    this.answered++;
    if (this.firstThrottledAt === undefined || sentAt <= this.firstThrottledAt) {
      this.acceptedCold++;
    }
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (!last || now - last.at >= CHECKPOINT_MS) {
      // The count before this answer: the span from here holds it.
      this.checkpoints.push({ at: now, answered: this.answered - 1 });
      this.forgetOld(this.checkpoints, now);
    }
  }

  /** A 429 arrived at `now`: the server's bucket was empty. */
  throttled(now: number): void {
    this.firstThrottledAt ??= now;
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
   * The highest rate proven sustained up to now (a 429 at `now`), per second; undefined when no
   * span is long enough.
   */
  provenRate(now: number): number | undefined {
    this.forgetOld(this.marks, now);
    this.forgetOld(this.checkpoints, now);
    const fromEmpty = this.best(this.marks, now, 1);
    this.depthProof = undefined;
    // Nothing accepted before the first 429: the bucket was not full then, its depth unknown.
    if (this.firstThrottledAt === undefined || !this.depthTrusted || this.acceptedCold === 0) {
      return fromEmpty;
    }
    const fromAny = this.best(this.checkpoints, now, this.acceptedCold);
    if (fromAny === undefined || (fromEmpty !== undefined && fromEmpty >= fromAny)) {
      return fromEmpty;
    }
    this.depthProof = fromAny;
    return fromAny;
  }

  /**
   * A 429 came while the client sent at `ratePerSecond`. Sending at or under a rate the server
   * sustains never empties its bucket, so a 429 at or under the rate the depth bound proved
   * refutes the bound: the bucket was not full when the client started (another client of the
   * account, or a run just before), and it was deeper than its first 429 showed. Only spans that
   * start at a 429 count from then on.
   */
  throttledAt(ratePerSecond: number): void {
    if (this.depthProof !== undefined && ratePerSecond <= this.depthProof) {
      this.depthTrusted = false;
      this.depthProof = undefined;
    }
  }

  /** Forgets every mark: spans across a server outage say nothing about its rate limit. */
  clear(): void {
    this.marks.length = 0;
    this.checkpoints.length = 0;
  }

  /** The best `(answered since - slack) / span` over the starts long enough ago. */
  private best(starts: readonly Mark[], now: number, slack: number): number | undefined {
    let best: number | undefined;
    for (const start of starts) {
      const span = now - start.at;
      if (span < this.minSpanMs) break;
      const rate = ((this.answered - start.answered - slack) * 1000) / span;
      if (rate > 0 && (best === undefined || rate > best)) best = rate;
    }
    return best;
  }

  private forgetOld(starts: Mark[], now: number): void {
    while (starts.length > 0 && now - (starts[0]?.at ?? now) > this.horizonMs) starts.shift();
  }
}
