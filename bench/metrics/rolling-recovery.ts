/** Trailing window of the recovery after an outage. */
export const ROLLING_WINDOW_MS = 10_000;
/** "Back": the rolling mean of slots in use reaches this share of the threads. */
export const BACK_SHARE = 0.95;

/**
 * Seconds from `fromMs` (an outage's end) until the first sample time at which the trailing
 * `windowMs` mean of the slots in use (samples in (t − windowMs, t]) reaches `share` of the
 * threads at t; 0 if it is there at `fromMs` already (the account never left), null if it never
 * gets there. Samples are the simulator's own, one a second.
 */
export function secondsUntilRollingShare(
  samples: { t: readonly number[]; inUse: readonly number[] },
  fromMs: number,
  threadsAt: (atMs: number) => number,
  windowMs = ROLLING_WINDOW_MS,
  share = BACK_SHARE,
): number | null {
  const { t, inUse } = samples;
  let lo = 0;
  let sum = 0;
  for (let hi = 0; hi < t.length; hi++) {
    const now = t[hi] as number;
    sum += inUse[hi] as number;
    while ((t[lo] as number) <= now - windowMs) sum -= inUse[lo++] as number;
    if (now < fromMs) continue;
    if (sum / (hi - lo + 1) >= share * threadsAt(now)) return (now - fromMs) / 1000;
  }
  return null;
}
