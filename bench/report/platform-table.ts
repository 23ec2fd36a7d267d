import type { RunRecord } from '../metrics/summarize.js';
import { markdownTable, num } from './format.js';

const HEADER = [
  'Scenario',
  'Client',
  'Ideal s',
  'Run s',
  'Ideal / run',
  'Run / cap ideal',
  'Others in outage',
  'Back to 95 % (s)',
  'Refused after 1st min',
  'Capacity failures',
  'Limit below after refusal (s)',
  'Refused platform / account',
  'Work s by type',
];

/** S9-S12: one row per client per scenario with platform limits (bench/README.md, "S9-S12"). */
export function platformTable(records: readonly RunRecord[]): string {
  const rows = records.flatMap((r) => {
    const p = r.platform;
    if (!p) return [];
    const o = p.outages[0];
    return [
      [
        r.scenario,
        r.client,
        num(p.idealS, 0),
        num(p.runS, 0),
        num(p.efficiency),
        num(p.capRatio, 3),
        o ? num(o.othersOccupancy) : '',
        o ? (o.backS === null ? 'never' : num(o.backS, 0)) : '',
        o?.refusedAfterFirstMinute === null || o === undefined
          ? ''
          : String(o.refusedAfterFirstMinute),
        String(p.capacityFailures),
        num(p.limitBelowAfterRefusalS, 0),
        `${p.refused.platform} / ${p.refused.account}`,
        Object.entries(p.workS)
          .map(([type, s]) => `${type} ${num(s, 0)}`)
          .join(', '),
      ],
    ];
  });
  return markdownTable(HEADER, rows);
}
