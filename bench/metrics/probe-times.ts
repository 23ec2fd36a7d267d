import type { Scenario } from '../scenarios/types.js';

/** The first minute of an outage is allowed its refusals; those after it are counted. */
export const OUTAGE_GRACE_MS = 60_000;

/** The outages of a scenario's platform settings, in time order. */
export function outagesOf(scenario: Scenario): { type: string; fromMs: number; toMs: number }[] {
  return [...(scenario.sim.platform?.outages ?? [])].sort((a, b) => a.fromMs - b.fromMs);
}

/**
 * The virtual times (ms after the start) at which the harness must read the simulator's per-type
 * counters for the outage metrics: one mean solve time after each outage starts (the refused
 * type's tasks have drained), one minute after it starts, and its end.
 */
export function probeTimesMs(scenario: Scenario, meanSolveMs: number): number[] {
  const times = new Set<number>();
  for (const o of outagesOf(scenario)) {
    times.add(o.fromMs + meanSolveMs);
    times.add(o.fromMs + OUTAGE_GRACE_MS);
    times.add(o.toMs);
  }
  return [...times].sort((a, b) => a - b);
}

/** Whether a scenario limits the platform's workers at all (and so needs a PlatformTrace). */
export function hasPlatformLimits(scenario: Scenario): boolean {
  const p = scenario.sim.platform;
  if (!p) return false;
  return (
    Object.keys(p.caps ?? {}).length > 0 ||
    (p.outages ?? []).length > 0 ||
    (p.dayCurve ?? null) !== null
  );
}
