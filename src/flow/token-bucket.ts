/** Below this shortfall a token counts as whole: float sums of refills must not cost a timer. */
const EPSILON = 1e-9;

/**
 * Token bucket arithmetic with no clock of its own: the owner says how much time passed and at
 * which rate. Tokens are fractional so that any rate, not only whole divisors of a second, is
 * kept exactly over a long run.
 */
export class TokenBucket {
  private level: number;

  constructor(
    readonly capacity: number,
    initial = capacity,
  ) {
    this.level = initial;
  }

  get tokens(): number {
    return this.level;
  }

  /**
   * Adds `elapsedMs` worth of tokens at `ratePerSecond`, up to `cap` (the capacity unless the
   * owner allows a little more, e.g. to catch up on a timer that fired late).
   */
  refill(elapsedMs: number, ratePerSecond: number, cap = this.capacity): void {
    if (elapsedMs <= 0) return;
    this.level = Math.min(cap, this.level + (elapsedMs * ratePerSecond) / 1000);
  }

  /** Milliseconds until one whole token is there at `ratePerSecond`; 0 if it is already. */
  msUntilToken(ratePerSecond: number): number {
    const missing = 1 - this.level;
    return missing <= EPSILON ? 0 : (missing * 1000) / ratePerSecond;
  }

  take(): void {
    this.level -= 1;
  }

  set(level: number): void {
    this.level = level;
  }
}
