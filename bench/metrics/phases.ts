import type { Scenario } from '../scenarios/types.js';
import { boundFor } from './bound.js';

/** The simulator's own view, sampled every second of virtual time from its start. */
export interface OccupancySamples {
  /** ms since the simulator started. */
  t: number[];
  /** Slots in use (in case B this includes finished tasks not yet collected). */
  inUse: number[];
  /** Tasks being solved (accepted, not yet finished): the work actually under way. */
  solving: number[];
  /**
   * Submits refused by the platform so far (the account's `platformRejections`), where the
   * scenario limits the platform: when the platform refused, to the second.
   */
  platformRefused?: number[];
}

/** Tasks accepted and not yet finished, from the simulator's counters. */
export function solvingNow(stats: {
  acceptedSubmits: number;
  billedSolves: number;
  unsolvable: number;
}): number {
  return stats.acceptedSubmits - stats.billedSolves - stats.unsolvable;
}

/** One stretch of constant threads (S3 has three). */
export interface PhaseReport {
  fromS: number;
  toS: number;
  threads: number;
  bound: number;
  throughput: number;
  efficiency: number;
  /**
   * Seconds from the phase's start until the 30 s rolling mean of slots in use reaches 95 % of the
   * threads and stays there for the rest of the phase; null if it never does.
   */
  recoveryS: number | null;
  /** Mean slots in use over the phase / threads. */
  occupancy: number;
}

/** Rolling window of the recovery measure. */
export const RECOVERY_WINDOW_MS = 30_000;
const WITHIN = 0.95;

/**
 * Per-phase throughput and recovery. In case A (slots free at completion) the slot occupancy is
 * the throughput efficiency by Little's law, without the counting noise of completions, so the
 * "back within 5 %" time is read from it.
 */
export function phaseReports(
  scenario: Scenario,
  meanSolveMs: number,
  samples: OccupancySamples,
  resultTimes: readonly number[],
  endMs: number,
): PhaseReport[] {
  const starts = [{ atMs: 0, threads: scenario.threads }, ...scenario.threadChanges];
  const reports: PhaseReport[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as { atMs: number; threads: number };
    const from = start.atMs;
    const to = Math.min(starts[i + 1]?.atMs ?? endMs, endMs);
    if (!(to > from)) continue;
    const bound = boundFor(scenario, meanSolveMs, start.threads).bound;
    const done = resultTimes.filter((t) => t >= from && t < to).length;
    const throughput = done / ((to - from) / 1000);
    reports.push({
      fromS: from / 1000,
      toS: to / 1000,
      threads: start.threads,
      bound,
      throughput,
      efficiency: throughput / bound,
      recoveryS: recovery(samples, from, to, start.threads),
      occupancy: meanInUse(samples, from, to) / start.threads,
    });
  }
  return reports;
}

function meanInUse(samples: OccupancySamples, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  samples.t.forEach((t, i) => {
    if (t >= from && t < to) {
      sum += samples.inUse[i] as number;
      n++;
    }
  });
  return n === 0 ? 0 : sum / n;
}

function recovery(
  samples: OccupancySamples,
  from: number,
  to: number,
  threads: number,
): number | null {
  const idx: number[] = [];
  samples.t.forEach((t, i) => {
    if (t >= from && t < to) idx.push(i);
  });
  const perWindow = Math.max(1, Math.round(RECOVERY_WINDOW_MS / stepMs(samples)));
  if (idx.length < perWindow) return null;
  // Rolling means of the windows that start in the phase and end inside it.
  const means: number[] = [];
  let sum = 0;
  for (let k = 0; k < idx.length; k++) {
    sum += samples.inUse[idx[k] as number] as number;
    if (k >= perWindow) sum -= samples.inUse[idx[k - perWindow] as number] as number;
    if (k >= perWindow - 1) means.push(sum / perWindow);
  }
  let firstGood = means.length;
  while (firstGood > 0 && (means[firstGood - 1] as number) >= WITHIN * threads) firstGood--;
  if (firstGood === means.length) return null;
  const t = samples.t[idx[firstGood] as number] as number;
  return (t - from) / 1000;
}

function stepMs(samples: OccupancySamples): number {
  const [a, b] = samples.t;
  return a !== undefined && b !== undefined && b > a ? b - a : 1000;
}
