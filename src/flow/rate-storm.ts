import type { Random } from '../time/random.js';

/**
 * A storm of 429s not caused by our rate: the server refuses everyone (an outage, a burst of
 * other clients' traffic), so nothing we send gets through whatever our rate. Cutting the rate
 * step after step would leave it at the floor when the storm ends, and climbing back would take
 * minutes; instead every request of the account pauses, for an exponentially growing, jittered
 * time, and when a request gets through again the rate from before the storm comes back at once.
 * `T` is the owner's recovery state, saved before the 429 that may have begun a storm.
 */
export class RateStorm<T> {
  /** 429s in a row with nothing answered between them; 0 when no storm is on. */
  private level = 0;
  private saved: T | undefined;

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: Random,
  ) {}

  get active(): boolean {
    return this.level > 0;
  }

  /**
   * The owner cut its rate for a 429. `state` is what it had before, if that had held long enough
   * without a 429 to be worth putting back should the 429 prove to be the start of a storm.
   */
  cutFrom(state: T | undefined): void {
    this.saved = state;
  }

  /**
   * One more 429 in the storm: how long to hold every request. Equal jitter (half fixed, half
   * random): never so short that the next request meets the same storm at once, and processes
   * that were refused together do not come back together.
   */
  step(): number {
    this.level++;
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.level - 1, 30));
    return ceiling / 2 + Math.floor((this.random() * ceiling) / 2);
  }

  /** A request got through: the storm is over. Returns the state to put back, if one was saved. */
  end(): T | undefined {
    const saved = this.saved;
    this.level = 0;
    this.saved = undefined;
    return saved;
  }
}
