import type { RunRecord } from '../metrics/summarize.js';
import type { TargetResult } from '../metrics/targets.js';
import { markdownTable, num } from './format.js';

const MAIN_HEADER = [
  'Scenario',
  'Client',
  'Bound/s',
  'Thr/s',
  'Eff',
  'Eff solving',
  'Eff whole',
  'vs best',
  'Sub',
  'Rej',
  'Poll',
  '429',
  'Req',
  'Failed',
  'p50 s',
  'p95 s',
  'p99 s',
  'Max slots',
  'CPU ms/1k',
];

/** Ours' efficiency divided by the best baseline's, on the same scenario and mode. */
function versusBest(r: RunRecord, all: readonly RunRecord[]): string {
  if (r.clientId !== 'ours') return '';
  const others = all.filter(
    (x) => x.scenario === r.scenario && x.mode === r.mode && x.clientId !== 'ours',
  );
  const best = Math.max(...others.map((x) => x.efficiency).filter(Number.isFinite));
  return Number.isFinite(best) && best > 0 ? `×${num(r.efficiency / best)}` : '';
}

/** One row per client per scenario: the numbers of bench/README.md's column list. */
export function mainTable(records: readonly RunRecord[]): string {
  const rows = records.map((r) => [
    r.mode === 'real' ? `${r.scenario} (real ×${r.speedup ?? '?'})` : r.scenario,
    r.client,
    num(r.bound, 3),
    num(r.throughput, 3),
    num(r.efficiency),
    num(r.efficiencySolving),
    num(r.efficiencyWhole),
    versusBest(r, records),
    num(r.perSolved.submits),
    num(r.perSolved.rejected),
    num(r.perSolved.polls),
    num(r.perSolved.http429),
    num(r.perSolved.requests),
    r.failed === 0 ? '0' : `${r.failed} (${num((100 * r.failed) / r.tasks, 1)} %)`,
    num(r.latencyS.p50, 1),
    num(r.latencyS.p95, 1),
    num(r.latencyS.p99, 1),
    String(r.maxSlotsInUse),
    num(r.cpuMsPer1k, 0),
  ]);
  return markdownTable(MAIN_HEADER, rows);
}

/** S3: every phase of every client. */
export function phaseTable(records: readonly RunRecord[]): string {
  const rows: string[][] = [];
  for (const r of records) {
    for (const p of r.phases ?? []) {
      rows.push([
        r.mode === 'real' ? `${r.scenario} (real)` : r.scenario,
        r.client,
        `${num(p.fromS, 0)}–${num(p.toS, 0)} s`,
        String(p.threads),
        num(p.bound, 3),
        num(p.throughput, 3),
        num(p.efficiency),
        num(p.occupancy),
        p.recoveryS === null ? 'never' : num(p.recoveryS, 0),
      ]);
    }
  }
  return markdownTable(
    [
      'Scenario',
      'Client',
      'Phase',
      'Threads',
      'Bound/s',
      'Thr/s',
      'Eff',
      'Occupancy',
      'Back within 5 % (s)',
    ],
    rows,
  );
}

/**
 * Limit estimates, 429s over the whole run and after the first minute, rejections, duplicates
 * and failure causes.
 */
export function detailTable(records: readonly RunRecord[]): string {
  const rows = records
    .filter((r) => r.limit || r.http429Per1kWhole || r.failed > 0 || r.counts.duplicateSubmits > 0)
    .map((r) => [
      r.mode === 'real' ? `${r.scenario} (real)` : r.scenario,
      r.client,
      r.limit ? `${r.limit.final} / ${r.limit.max}` : '',
      r.limit ? String(r.limit.probes) : '',
      num(r.http429Per1kWhole, 1),
      num(r.http429Per1kAfterFirstMinute, 1),
      String(r.counts.rejected),
      String(r.counts.duplicateSubmits),
      Object.entries(r.failCodes)
        .map(([code, n]) => `${code} ${n}`)
        .join(', '),
    ]);
  return markdownTable(
    [
      'Scenario',
      'Client',
      'Limit final / max',
      'Probes',
      '429 per 1k req',
      '429 per 1k req after 1 min',
      'Rejections',
      'Duplicate submits',
      'Failures',
    ],
    rows,
  );
}

export function targetTable(targets: readonly TargetResult[]): string {
  const rows = targets.map((t) => {
    const b = t.bestBaseline;
    const ratio = b && t.value !== null && b.value !== 0 ? `×${num(t.value / b.value)}` : '';
    return [
      t.scenario,
      t.target,
      num(t.value, 3),
      t.threshold,
      t.pass ? 'PASS' : 'FAIL',
      b ? `${num(b.value, 3)} (${b.client})` : '',
      ratio,
    ];
  });
  return markdownTable(
    ['Scenario', 'Target', 'Ours', 'Target', 'Result', 'Best baseline', 'Ours / best'],
    rows,
  );
}
