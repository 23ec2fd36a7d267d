import type { Clock } from '../time/clock.js';
import type { Random } from '../time/random.js';

export interface RateChangedEvent {
  /** The allowed rate now; undefined while unlimited. */
  ratePerSecond: number | undefined;
  /**
   * `throttled`: a 429 cut it; `recovering`: growth after a cut; `ceiling`: back at the
   * configured ceiling; `paused`: a server pause or a storm of 429s holds every request;
   * `resumed`: a storm that refused everyone ended, and the rate from before it is back.
   */
  reason: 'throttled' | 'recovering' | 'ceiling' | 'paused' | 'resumed';
  /** For 'paused': how long every request of the account is held from now. */
  pausedMs?: number;
}

export interface RateControllerStats {
  ratePerSecond: number | undefined;
  waiting: number;
  /** 429s and server pauses reported, including those inside a cooldown. */
  throttleEvents: number;
  /** Clock time until which every request is held; 0 if never paused. */
  pausedUntil: number;
  sentLastSecond: number;
}

export interface RateControllerDeps {
  clock: Clock;
  random: Random;
  /** Called on a cut, a pause, and during recovery at most about once a second. */
  onChange?: (event: RateChangedEvent) => void;
}
