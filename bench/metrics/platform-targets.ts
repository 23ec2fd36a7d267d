import type { RunRecord } from './summarize.js';
import type { Check } from './targets.js';

/** A ten-minute outage and longer: its refusals after the first minute are capped. */
const LONG_OUTAGE_S = 600;

const firstOutage = (r: RunRecord): NonNullable<RunRecord['platform']>['outages'][number] | null =>
  r.platform?.outages[0] ?? null;

const LIMIT_AFTER_REFUSAL: Check = {
  target: 'longest limit estimate below the true threads after a platform refusal (s)',
  measure: (x) => x.platform?.limitBelowAfterRefusalS ?? null,
  atLeast: false,
  threshold: 60,
  compare: false,
};

const FLUID: Check = {
  target: "fluid ideal / run time on the simulator's capacity curve",
  measure: (x) => x.platform?.efficiency ?? null,
  atLeast: true,
  threshold: 0.9,
  compare: true,
};

/** S9-S12: the targets about the platform's workers running out (see bench/README.md). */
export function platformChecks(r: RunRecord): Check[] {
  switch (r.group) {
    case 'S9': {
      const outage = firstOutage(r);
      const checks: Check[] = [
        {
          target: 'other types hold the threads during the outage (share)',
          measure: (x) => firstOutage(x)?.othersOccupancy ?? null,
          atLeast: true,
          threshold: 0.9,
          compare: true,
        },
        {
          target: 'after the outage: 10 s rolling occupancy back to 95 % (s)',
          measure: (x) => firstOutage(x)?.backS ?? null,
          atLeast: false,
          threshold: 30,
          compare: true,
        },
        {
          target: 'tasks failed for capacity',
          measure: (x) => x.platform?.capacityFailures ?? null,
          atLeast: false,
          threshold: 0,
          compare: true,
        },
      ];
      if (outage && outage.toS - outage.fromS >= LONG_OUTAGE_S) {
        checks.push({
          target: `${outage.type} platform refusals after the outage's first minute`,
          measure: (x) => firstOutage(x)?.refusedAfterFirstMinute ?? null,
          atLeast: false,
          threshold: 60,
          compare: true,
        });
      }
      return checks;
    }
    case 'S10':
      return [
        {
          target: 'run time / ideal max(capped work / cap, all work / threads)',
          measure: (x) => x.platform?.capRatio ?? null,
          atLeast: false,
          threshold: 1.05,
          compare: true,
        },
      ];
    case 'S11':
    case 'S12':
      return [FLUID, LIMIT_AFTER_REFUSAL];
    default:
      return [];
  }
}
