import type { StatsProbe } from './platform-trace.js';

/**
 * The share of the account's thread-time that the types `counts` accepts held between two probes:
 * the growth of their slot-ms over `threadMs` (threads × span). Per-type slot-ms are exact running
 * sums, so two readings give the occupancy over any window without sampling noise.
 */
export function typeOccupancy(
  from: StatsProbe,
  to: StatsProbe,
  counts: (type: string) => boolean,
  threadMs: number,
): number {
  let held = 0;
  for (const [type, counters] of Object.entries(to.byType)) {
    if (!counts(type)) continue;
    held += counters.slotMs - (from.byType[type]?.slotMs ?? 0);
  }
  return threadMs > 0 ? held / threadMs : Number.NaN;
}

/** Thread-ms of the account over [fromMs, toMs), with its threads as a function of time. */
export function threadMsBetween(
  fromMs: number,
  toMs: number,
  threadsAt: (atMs: number) => number,
  changeTimesMs: readonly number[],
): number {
  const cuts = [fromMs, ...changeTimesMs.filter((t) => t > fromMs && t < toMs), toMs];
  let sum = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i] as number;
    const b = cuts[i + 1] as number;
    sum += threadsAt(a) * (b - a);
  }
  return sum;
}
