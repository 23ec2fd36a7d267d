import { TokenBucket } from './token-bucket.js';

/** Past this rate a cold start has found no limit worth pacing: requests go unpaced. */
const END_RATE = 1_000;

/**
 * The rate before the server's first 429, when nothing is known of its limit. Unpaced, a cold
 * start sends the whole backlog at once (every thread's submit in the same millisecond), and
 * against a limit of a few requests a second all but two or three of them are answered 429. Like
 * TCP's slow start, requests start at `initialRate` and the rate doubles every `doublingMs` of
 * time requests spent waiting for it, so an account without a limit is held back for about a
 * second (1,000/s after seven doublings) and one with a low limit draws its first 429 a few
 * requests in, at a measured rate near the limit.
 */
export class SlowStart {
  private readonly bucket = new TokenBucket(1);
  private limitedMs = 0;
  private rate: number;

  constructor(
    private readonly initialRate: number,
    private readonly doublingMs: number,
  ) {
    this.rate = initialRate;
  }

  /** Requests per second allowed now. */
  get ratePerSecond(): number {
    return this.rate;
  }

  /** Whether the rate is past pacing: requests may go unpaced from now on. */
  get done(): boolean {
    return this.rate >= END_RATE;
  }

  /** `elapsedMs` passed, with requests waiting or not: only waiting time doubles the rate. */
  advance(elapsedMs: number, waiting: boolean): void {
    this.bucket.refill(elapsedMs, this.rate);
    if (!waiting) return;
    this.limitedMs += elapsedMs;
    this.rate = this.initialRate * 2 ** (this.limitedMs / this.doublingMs);
  }

  msUntilToken(): number {
    return this.bucket.msUntilToken(this.rate);
  }

  take(): void {
    this.bucket.take();
  }
}
