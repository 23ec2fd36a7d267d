import type { Clock } from './clock.js';

/**
 * A clock whose time runs `speedup` times faster than the wall clock: a 20 s sleep takes
 * 20 / speedup real seconds and `now()` advances accordingly. Sharing one scaled clock between a
 * simulator and a client keeps every documented timing (5 s polls, 15 s first poll) consistent
 * while a demo or benchmark runs quickly. Two scaled clocks read the same time only if they share
 * `origin` (the base time at which they read alike): started a moment apart, they drift apart by
 * that moment times `speedup - 1`.
 */
export function scaledClock(base: Clock, speedup: number, origin = base.now()): Clock {
  if (!(speedup > 0) || !Number.isFinite(speedup)) {
    throw new RangeError(`speedup must be a positive number, got ${speedup}`);
  }
  return {
    now: () => origin + (base.now() - origin) * speedup,
    sleep: (ms, signal) => base.sleep(ms / speedup, signal),
  };
}
