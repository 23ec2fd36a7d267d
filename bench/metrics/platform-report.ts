import type { RawRun } from '../harness/raw-run.js';
import { threadsAt } from './bound.js';
import { capIdealMs } from './cap-bound.js';
import { capacityFailures } from './capacity-failures.js';
import { longestBelowAfterRefusal, refusalTimes } from './limit-below.js';
import { outageReport, type OutageReport } from './outage-report.js';
import type { TypeCounters } from './platform-trace.js';
import { outagesOf } from './probe-times.js';

/** The S9-S12 numbers of one run (scenarios with platform limits, virtual time). */
export interface PlatformReport {
  /** Measured: the simulator's start to the last result, s. */
  runS: number;
  /** Fluid ideal finish on the simulator's own capacity curve, s; null if it cannot finish. */
  idealS: number | null;
  /** idealS / runS (S11, S12). */
  efficiency: number | null;
  /** S10's closed form max(capped work / cap, all work / threads), s; null without caps. */
  capIdealS: number | null;
  /** runS / capIdealS (S10). */
  capRatio: number | null;
  /** Work per type in thread-seconds: the type's slot time, the solve times the simulator drew. */
  workS: Record<string, number>;
  /** One per outage of the scenario (S9; S12 has one too). */
  outages: OutageReport[];
  /** Tasks that failed for capacity (capacity codes, or never accepted before the timeout). */
  capacityFailures: number;
  /**
   * Longest time the client's limit estimate stayed below the true threads after a platform
   * refusal, s (0: never); null for a client without a limit estimate (the baselines).
   */
  limitBelowAfterRefusalS: number | null;
  /** Submits refused by the platform, and by the account's threads. */
  refused: { platform: number; account: number };
  /** The simulator's per-type counters at the end. */
  byType: Record<string, TypeCounters>;
}

/** The platform measures of a run that recorded a PlatformTrace; null for any other run. */
export function platformReport(raw: RawRun): PlatformReport | null {
  const trace = raw.platform;
  if (!trace) return null;
  const { scenario, samples, outcomes, stats } = raw;
  const origin = raw.startedAt;
  const runMs = (outcomes.lastResultAt ?? origin) - origin;
  const threads = (t: number): number => threadsAt(scenario, t);
  const changeTimesMs = scenario.threadChanges.map((c) => c.atMs);
  const caps = scenario.sim.platform?.caps ?? {};
  const capIdeal =
    Object.keys(caps).length > 0 && scenario.threadChanges.length === 0
      ? capIdealMs(trace.workMs, caps, scenario.threads)
      : null;
  const workS: Record<string, number> = {};
  for (const [type, ms] of Object.entries(trace.workMs)) workS[type] = ms / 1000;
  const outageInput = {
    probes: trace.probes,
    samples,
    meanSolveMs: raw.meanSolveMs,
    threadsAt: threads,
    changeTimesMs,
  };
  return {
    runS: runMs / 1000,
    idealS: trace.idealMs === null ? null : trace.idealMs / 1000,
    efficiency: trace.idealMs === null || runMs <= 0 ? null : trace.idealMs / runMs,
    capIdealS: capIdeal === null ? null : capIdeal / 1000,
    capRatio: capIdeal === null || capIdeal <= 0 ? null : runMs / capIdeal,
    workS,
    outages: outagesOf(scenario).map((o) => outageReport(o, outageInput)),
    capacityFailures: capacityFailures(outcomes.failCodes),
    limitBelowAfterRefusalS: limitBelow(raw, threads, changeTimesMs),
    refused: refusedByCause(stats.byType),
    byType: stats.byType,
  };
}

function refusedByCause(byType: Record<string, TypeCounters>): PlatformReport['refused'] {
  const refused = { platform: 0, account: 0 };
  for (const counters of Object.values(byType)) {
    refused.platform += counters.refusedPlatform;
    refused.account += counters.refusedAccount;
  }
  return refused;
}

function limitBelow(
  raw: RawRun,
  threads: (t: number) => number,
  changeTimesMs: readonly number[],
): number | null {
  const timeline = raw.client.limit?.timeline;
  const counter = raw.samples.platformRefused;
  if (!timeline || !counter) return null;
  const origin = raw.startedAt;
  const { t } = raw.samples;
  const step = t.length >= 2 ? (t[1] as number) - (t[0] as number) : 1000;
  const result = longestBelowAfterRefusal({
    timeline: timeline.map((p) => ({ atMs: p.atMs - origin, limit: p.limit })),
    threadsAt: threads,
    changeTimesMs,
    refusalTimesMs: refusalTimes(t, counter),
    untilMs: (raw.tap.lastSubmitAt ?? origin) - origin,
    resolutionMs: step,
  });
  return result.longestMs / 1000;
}
