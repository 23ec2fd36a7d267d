import type { Clock } from '../time/clock.js';
import type { Random } from '../time/random.js';

export interface RateChangedEvent {
  /** The allowed rate now; undefined while unlimited. */
  ratePerSecond: number | undefined;
  reason: 'throttled' | 'recovering' | 'ceiling' | 'paused';
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
