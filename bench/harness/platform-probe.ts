import type { PlatformType, Simulator } from '../../src/simulator/index.js';
import { threadsAt } from '../metrics/bound.js';
import { fluidIdealMs } from '../metrics/fluid-bound.js';
import type { PlatformTrace, StatsProbe, TypeCounters } from '../metrics/platform-trace.js';
import { probeTimesMs } from '../metrics/probe-times.js';
import type { Scenario } from '../scenarios/types.js';

/** Step of the fluid schedule over the simulator's capacity curve. */
const FLUID_STEP_MS = 1_000;

/** Schedules a call at `ms` after the simulator's start on the run's clock; returns a cancel. */
export type At = (ms: number, fn: () => void) => () => void;

/**
 * Reads the simulator's per-type counters at the virtual times the outage metrics need (timers on
 * the run's clock, like the plan changes) and, once the run is over, the work per type and the
 * fluid bound on the simulator's own capacity curve.
 */
export class PlatformProbe {
  private readonly probes: StatsProbe[] = [];
  private readonly cancels: Array<() => void> = [];

  constructor(
    private readonly sim: Simulator,
    private readonly scenario: Scenario,
    private readonly meanSolveMs: number,
    at: At,
  ) {
    for (const ms of probeTimesMs(scenario, this.meanSolveMs)) {
      this.cancels.push(at(ms, () => this.probes.push(this.read(ms))));
    }
  }

  /** Cancels the probes still pending (a run that ended before them). */
  stop(): void {
    for (const cancel of this.cancels.splice(0)) cancel();
  }

  /**
   * After the run: the probes taken, the work per type and the fluid ideal. `stopped` carries
   * the run's tasks by type when it was stopped before the client finished (`stopAfterMs`): the
   * work the simulator saw is then only part of it, and each task of a type it never accepted
   * adds the scenario's mean solve time, so the ideal is that of all the work, as for any other
   * client on the same scenario.
   */
  finish(stopped?: { tasksByType: Readonly<Record<string, number>> }): PlatformTrace {
    this.stop();
    const byType = this.sim.stats().byType;
    const workMs: Record<string, number> = {};
    for (const [type, counters] of Object.entries(byType)) workMs[type] = counters.slotMs;
    for (const [type, tasks] of Object.entries(stopped?.tasksByType ?? {})) {
      const neverAccepted = Math.max(0, tasks - (byType[type]?.accepted ?? 0));
      workMs[type] = (workMs[type] ?? 0) + neverAccepted * this.meanSolveMs;
    }
    const idealMs = fluidIdealMs({
      workMs,
      threadsAt: (t) => threadsAt(this.scenario, t),
      capacityAt: (type, t) => this.sim.platformCapacity(type as PlatformType, t),
      stepMs: FLUID_STEP_MS,
    });
    return { probes: [...this.probes], workMs, idealMs };
  }

  private read(atMs: number): StatsProbe {
    const stats = this.sim.stats();
    const byType: Record<string, TypeCounters> = {};
    for (const [type, counters] of Object.entries(stats.byType)) byType[type] = { ...counters };
    return { atMs, byType, slotMs: stats.slotMs };
  }
}
