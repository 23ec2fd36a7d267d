import { platformChecks } from './platform-targets.js';
import type { RunRecord } from './summarize.js';

/** One target of the issue, checked on ours. */
export interface TargetResult {
  scenario: string;
  target: string;
  /** Ours. */
  value: number | null;
  /** e.g. '≥ 0.95'. */
  threshold: string;
  pass: boolean;
  /** The best baseline's value of the same measure, where it has one. */
  bestBaseline: { client: string; value: number } | null;
}

type Measure = (r: RunRecord) => number | null;

/** One target: a measure of a run, its threshold and direction. */
export interface Check {
  target: string;
  measure: Measure;
  /** Higher is better (≥ threshold), else lower is better (≤ threshold). */
  atLeast: boolean;
  threshold: number;
  /** Compare with the baselines (not for ours-only measures). */
  compare: boolean;
}

const eff = (min: number, target = 'efficiency'): Check => ({
  target,
  measure: (r) => r.efficiency,
  atLeast: true,
  threshold: min,
  compare: true,
});
const REJECTED: Check = {
  target: 'capacity rejections per solved task',
  measure: (r) => r.perSolved.rejected,
  atLeast: false,
  threshold: 0.05,
  compare: true,
};
const requests = (max: number): Check => ({
  target: 'requests per solved task',
  measure: (r) => r.perSolved.requests,
  atLeast: false,
  threshold: max,
  compare: true,
});

function checksFor(r: RunRecord): Check[] {
  switch (r.group) {
    case 'S1': {
      const ids = r.scenario.endsWith('-ids');
      return [eff(ids ? 0.95 : 0.9), REJECTED, requests(ids ? 1.15 : 2.5)];
    }
    case 'S3':
      return (r.phases ?? []).slice(1).map((p) => ({
        target: `back within 5 % of ${p.threads} slots (s)`,
        measure: (x) => x.phases?.find((q) => q.fromS === p.fromS)?.recoveryS ?? null,
        atLeast: false,
        threshold: 60,
        compare: true,
      }));
    case 'S4':
      return [
        {
          target: '429 per 1,000 requests after the first minute',
          measure: (x) => x.http429Per1kAfterFirstMinute,
          atLeast: false,
          threshold: 1,
          compare: true,
        },
        eff(0.9, 'efficiency vs the rate-limited bound'),
      ];
    case 'S6':
      return [eff(0.9)];
    case 'S8':
      return [
        {
          target: `highest limit estimate (demand ${r.demand ?? '?'})`,
          measure: (x) => x.limit?.max ?? null,
          atLeast: false,
          threshold: r.demand ?? 0,
          compare: false,
        },
        {
          ...REJECTED,
          target: 'capacity rejections (count)',
          measure: (x) => x.counts.rejected,
          threshold: 0,
        },
        {
          target: 'probes while app-limited',
          measure: (x) => x.limit?.probes ?? null,
          atLeast: false,
          threshold: 0,
          compare: false,
        },
      ];
    default:
      return platformChecks(r);
  }
}

/** The targets for every scenario that has them, ours against the best baseline. */
export function evaluateTargets(records: readonly RunRecord[]): TargetResult[] {
  const out: TargetResult[] = [];
  for (const ours of records.filter((r) => r.clientId === 'ours')) {
    const baselines = records.filter(
      (r) => r.scenario === ours.scenario && r.mode === ours.mode && r.clientId !== 'ours',
    );
    for (const check of checksFor(ours)) {
      const value = check.measure(ours);
      const pass =
        value !== null &&
        Number.isFinite(value) &&
        (check.atLeast ? value >= check.threshold : value <= check.threshold);
      out.push({
        scenario: ours.mode === 'real' ? `${ours.scenario} (real)` : ours.scenario,
        target: check.target,
        value,
        threshold: `${check.atLeast ? '≥' : '≤'} ${check.threshold}`,
        pass,
        bestBaseline: check.compare ? best(baselines, check) : null,
      });
    }
  }
  return out;
}

function best(baselines: readonly RunRecord[], check: Check): TargetResult['bestBaseline'] {
  let found: TargetResult['bestBaseline'] = null;
  for (const r of baselines) {
    const value = check.measure(r);
    if (value === null || !Number.isFinite(value)) continue;
    if (!found || (check.atLeast ? value > found.value : value < found.value)) {
      found = { client: r.client, value };
    }
  }
  return found;
}

/** A resource target (scale run): value against an upper limit. */
export function resourceTarget(
  scenario: string,
  target: string,
  value: number | null,
  max: number,
): TargetResult {
  return {
    scenario,
    target,
    value,
    threshold: `≤ ${max}`,
    pass: value !== null && Number.isFinite(value) && value <= max,
    bestBaseline: null,
  };
}
