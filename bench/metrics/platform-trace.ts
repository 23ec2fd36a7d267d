import type { SimulatorStats } from '../../src/simulator/index.js';

/** One CAPTCHA type's counters as the simulator keeps them (accepted, refused, slot-ms...). */
export type TypeCounters = SimulatorStats['byType'][string];

/** The simulator's per-type counters read at one virtual time. */
export interface StatsProbe {
  /** ms since the simulator's start. */
  atMs: number;
  byType: Record<string, TypeCounters>;
  /** The account's slot-ms so far (all types). */
  slotMs: number;
}

/**
 * What a run on a scenario with platform limits records beyond the usual counters: the stats at
 * the times the outage metrics need, the work per type and the fluid bound on the simulator's own
 * capacity curve (computed while the simulator is still there to ask).
 */
export interface PlatformTrace {
  /** In time order, at the times `probeTimesMs` asks for. */
  probes: StatsProbe[];
  /**
   * Work per type in thread-ms: the type's slot-ms at the end of the run. With slots freed at
   * completion that is the sum of the solve times the simulator drew for the accepted tasks.
   */
  workMs: Record<string, number>;
  /** Fluid ideal finish time, ms after the start; null when the work cannot finish. */
  idealMs: number | null;
}
