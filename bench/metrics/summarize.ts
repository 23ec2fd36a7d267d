import type { LimitTrace } from '../clients/types.js';
import type { RawRun } from '../harness/raw-run.js';
import { averageBound, boundFor } from './bound.js';
import { percentile } from './percentile.js';
import { phaseReports, type PhaseReport } from './phases.js';
import { platformReport, type PlatformReport } from './platform-report.js';

/** What ours learnt about the limit, without the timeline (which stays out of the JSON). */
export type LimitSummary = Omit<LimitTrace, 'timeline'>;

/** Per solved task. */
export interface RequestSplit {
  /** Accepted submits. */
  submits: number;
  /** Submits refused for capacity. */
  rejected: number;
  polls: number;
  http429: number;
  /** Anything else (threadsinfo, balance, other errors). */
  other: number;
  requests: number;
}

/** One row of the table: the numbers of one client on one scenario. */
export interface RunRecord {
  scenario: string;
  group: string;
  title: string;
  client: string;
  clientId: string;
  mode: 'virtual' | 'real';
  seed: number;
  threads: number;
  tasks: number;
  demand: number | null;
  meanSolveMs: number;
  bound: number;
  binding: string;
  /** Busy window: from the first to the last accepted submit (work was waiting all along). */
  window: { fromS: number; toS: number };
  throughput: number;
  efficiency: number;
  /**
   * Work under way over the busy window: the mean number of tasks being solved (the simulator's
   * own count) / E[solve], divided by the bound. Unbiased for any solve-time distribution; in case
   * B it leaves out slots held by finished, uncollected tasks.
   */
  efficiencySolving: number;
  /** Whole run: first accepted submit to last result. */
  throughputWhole: number;
  efficiencyWhole: number;
  solved: number;
  failed: number;
  failCodes: Record<string, number>;
  perSolved: RequestSplit;
  counts: RequestSplit & { batchPolls: number; duplicateSubmits: number };
  /** HTTP 429 per 1,000 requests from one minute after the first request on. */
  http429Per1kAfterFirstMinute: number | null;
  /** HTTP 429 per 1,000 requests over the whole run: a cold start's burst counts too. */
  http429Per1kWhole: number | null;
  latencyS: { p50: number; p95: number; p99: number };
  maxSlotsInUse: number;
  /** Mean sampled server slots in use / threads over the busy window. */
  occupancy: number;
  cpuMsPer1k: number;
  cpuIncludesSimulator: boolean;
  wallMs: number;
  speedup: number | null;
  limit: LimitSummary | null;
  concurrency: number | null;
  phases: PhaseReport[] | null;
  rssPeakMb: number | null;
  /**
   * S9-S12 (platform limits, virtual time): the fluid bound, outages, capacity failures, the limit
   * after platform refusals. Bound/s is then the work's task count over the fluid ideal time.
   */
  platform: PlatformReport | null;
}

export function summarize(raw: RawRun): RunRecord {
  const { scenario, stats, tap, outcomes } = raw;
  const origin = raw.startedAt;
  const firstSubmit = (tap.firstSubmitAt ?? origin) - origin;
  const lastSubmit = (tap.lastSubmitAt ?? origin) - origin;
  const lastResult = (outcomes.lastResultAt ?? origin) - origin;
  const results = outcomes.resultTimes.map((t) => t - origin);
  // A window under a mean solve time says nothing steady; fall back to the whole run.
  const busy = lastSubmit - firstSubmit >= raw.meanSolveMs;
  const winTo = busy ? lastSubmit : lastResult;
  const inWindow = results.filter((t) => t >= firstSubmit && t < winTo).length;
  const throughput = inWindow / Math.max(1e-9, (winTo - firstSubmit) / 1000);
  const platform = platformReport(raw);
  // With platform limits the account's threads alone overstate what is possible: the yardstick
  // is the rate the fluid schedule on the simulator's capacity curve achieves.
  const idealS = platform?.idealS ?? null;
  const fluidRate = idealS !== null && idealS > 0 ? scenario.tasks / idealS : null;
  const bound = fluidRate ?? averageBound(scenario, raw.meanSolveMs, firstSubmit, winTo);
  const throughputWhole = outcomes.solved / Math.max(1e-9, (lastResult - firstSubmit) / 1000);
  const boundWhole = fluidRate ?? averageBound(scenario, raw.meanSolveMs, firstSubmit, lastResult);
  const counts = requestCounts(raw);
  const per = (n: number): number => (outcomes.solved === 0 ? Number.NaN : n / outcomes.solved);
  const s = tap.settled;
  return {
    scenario: scenario.id,
    group: scenario.group,
    title: scenario.title,
    client: raw.label,
    clientId: raw.clientId,
    mode: raw.mode,
    seed: raw.seed,
    threads: scenario.threads,
    tasks: scenario.tasks,
    demand: scenario.demand ?? null,
    meanSolveMs: raw.meanSolveMs,
    bound,
    binding: fluidRate === null ? boundFor(scenario, raw.meanSolveMs).binding : 'platform',
    window: { fromS: firstSubmit / 1000, toS: winTo / 1000 },
    throughput,
    efficiency: throughput / bound,
    efficiencySolving:
      meanSample(raw, 'solving', firstSubmit, winTo) / (raw.meanSolveMs / 1000) / bound,
    throughputWhole,
    efficiencyWhole: throughputWhole / boundWhole,
    solved: outcomes.solved,
    failed: outcomes.failed,
    failCodes: outcomes.failCodes,
    perSolved: {
      submits: per(counts.submits),
      rejected: per(counts.rejected),
      polls: per(counts.polls),
      http429: per(counts.http429),
      other: per(counts.other),
      requests: per(counts.requests),
    },
    counts,
    http429Per1kAfterFirstMinute: s.requests === 0 ? null : (1000 * s.http429) / s.requests,
    http429Per1kWhole: counts.requests === 0 ? null : (1000 * counts.http429) / counts.requests,
    latencyS: {
      p50: percentile(outcomes.latencies, 0.5) / 1000,
      p95: percentile(outcomes.latencies, 0.95) / 1000,
      p99: percentile(outcomes.latencies, 0.99) / 1000,
    },
    maxSlotsInUse: stats.maxSlotsInUse,
    occupancy: occupancy(raw, firstSubmit, winTo),
    cpuMsPer1k: outcomes.solved === 0 ? Number.NaN : (raw.cpuMs * 1000) / outcomes.solved,
    cpuIncludesSimulator: raw.cpuIncludesSimulator,
    wallMs: raw.wallMs,
    speedup: raw.speedup ?? null,
    limit: limitSummary(raw.client.limit),
    concurrency: raw.client.concurrency ?? null,
    phases:
      scenario.threadChanges.length > 0
        ? phaseReports(scenario, raw.meanSolveMs, raw.samples, results, winTo)
        : null,
    rssPeakMb: raw.rssPeakMb ?? null,
    platform,
  };
}

function limitSummary(trace: LimitTrace | undefined): LimitSummary | null {
  if (!trace) return null;
  const { timeline: _timeline, ...rest } = trace;
  return rest;
}

function requestCounts(raw: RawRun): RunRecord['counts'] {
  const st = raw.stats;
  const known = st.acceptedSubmits + st.capacityRejections + st.polls + st.http429;
  return {
    submits: st.acceptedSubmits,
    rejected: st.capacityRejections,
    polls: st.polls,
    http429: st.http429,
    other: st.requests - known,
    requests: st.requests,
    batchPolls: st.batchPolls,
    duplicateSubmits: st.duplicateSubmits,
  };
}

function meanSample(raw: RawRun, key: 'inUse' | 'solving', fromMs: number, toMs: number): number {
  let sum = 0;
  let n = 0;
  const { t } = raw.samples;
  const values = raw.samples[key];
  for (let i = 0; i < t.length; i++) {
    const at = t[i] as number;
    if (at < fromMs || at >= toMs) continue;
    sum += values[i] as number;
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** Mean sampled slots in use over the window / threads at each sample. */
function occupancy(raw: RawRun, fromMs: number, toMs: number): number {
  let sum = 0;
  let n = 0;
  const { t, inUse } = raw.samples;
  for (let i = 0; i < t.length; i++) {
    const at = t[i] as number;
    if (at < fromMs || at >= toMs) continue;
    let threads = raw.scenario.threads;
    for (const c of raw.scenario.threadChanges) if (at >= c.atMs) threads = c.threads;
    sum += (inUse[i] as number) / threads;
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}
