import type { Clock } from './clock.js';

/**
 * A clock whose time runs `speedup` times faster than the wall clock: a 20 s sleep takes
 * 20 / speedup real seconds and `now()` advances accordingly. Sharing one scaled clock between a
 * simulator and a client keeps every documented timing (5 s polls, 15 s first poll) consistent
 * while a demo or benchmark runs quickly.
 */
export function scaledClock(base: Clock, speedup: number): Clock {
  if (!(speedup > 0) || !Number.isFinite(speedup)) {
    throw new RangeError(`speedup must be a positive number, got ${speedup}`);
  }
  const origin = base.now();
  return {
    now: () => origin + (base.now() - origin) * speedup,
    sleep: (ms, signal) => base.sleep(ms / speedup, signal),
  };
}
