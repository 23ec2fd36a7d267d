import type { OccupancySamples } from './phases.js';
import type { StatsProbe } from './platform-trace.js';
import { OUTAGE_GRACE_MS } from './probe-times.js';
import { secondsUntilRollingShare } from './rolling-recovery.js';
import { threadMsBetween, typeOccupancy } from './type-occupancy.js';

/** How a client got through one outage of one type (S9). */
export interface OutageReport {
  type: string;
  fromS: number;
  toS: number;
  /**
   * Share of the account's threads the other types held from one mean solve time after the start
   * (the refused type's tasks have drained) to the end; null if that window is empty or a probe
   * is missing.
   */
  othersOccupancy: number | null;
  /**
   * Seconds after the end until the 10 s rolling mean of slots in use reaches 95 % of the
   * threads; null: never (before the run ended).
   */
  backS: number | null;
  /**
   * The type's platform refusals from one minute after the start to the end (what a client pays
   * once it should know better); null if the outage is not longer than a minute.
   */
  refusedAfterFirstMinute: number | null;
}

/** What the outage measures read from one run. */
export interface OutageInput {
  probes: readonly StatsProbe[];
  samples: OccupancySamples;
  meanSolveMs: number;
  threadsAt: (atMs: number) => number;
  changeTimesMs: readonly number[];
}

function probeAt(probes: readonly StatsProbe[], atMs: number): StatsProbe | undefined {
  return probes.find((p) => p.atMs === atMs);
}

/** The S9 measures of one outage, from the probes and the per-second samples. */
export function outageReport(
  outage: { type: string; fromMs: number; toMs: number },
  input: OutageInput,
): OutageReport {
  const { fromMs, toMs, type } = outage;
  const drained = fromMs + input.meanSolveMs;
  const a = probeAt(input.probes, drained);
  const end = probeAt(input.probes, toMs);
  const othersOccupancy =
    a && end && toMs > drained
      ? typeOccupancy(
          a,
          end,
          (t) => t !== type,
          threadMsBetween(drained, toMs, input.threadsAt, input.changeTimesMs),
        )
      : null;
  const grace = probeAt(input.probes, fromMs + OUTAGE_GRACE_MS);
  const refusedAfterFirstMinute =
    grace && end && toMs > fromMs + OUTAGE_GRACE_MS
      ? (end.byType[type]?.refusedPlatform ?? 0) - (grace.byType[type]?.refusedPlatform ?? 0)
      : null;
  return {
    type,
    fromS: fromMs / 1000,
    toS: toMs / 1000,
    othersOccupancy,
    backS: secondsUntilRollingShare(input.samples, toMs, input.threadsAt),
    refusedAfterFirstMinute,
  };
}
