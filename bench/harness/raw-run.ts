import type { SimulatorStats } from '../../src/simulator/index.js';
import type { ClientRun } from '../clients/types.js';
import type { OccupancySamples } from '../metrics/phases.js';
import type { PlatformTrace } from '../metrics/platform-trace.js';
import type { Scenario } from '../scenarios/types.js';
import type { OutcomeLog } from './recorder.js';
import type { TapSummary } from './tap-transport.js';

/** The simulator's counters as JSON carries them (the per-task poll map left out). */
export type StatsSnapshot = Omit<SimulatorStats, 'pollsByTask'>;

/** Everything one client's run on one scenario produced, before any arithmetic. */
export interface RawRun {
  scenario: Scenario;
  clientId: string;
  label: string;
  mode: 'virtual' | 'real';
  seed: number;
  /** Real-time mode: virtual seconds per wall second. */
  speedup?: number;
  /** E[solve time] of the simulator's distribution, ms. */
  meanSolveMs: number;
  /** Clock time of the simulator's start (the origin of plan changes and throttle windows). */
  startedAt: number;
  stats: StatsSnapshot;
  tap: TapSummary;
  outcomes: OutcomeLog;
  samples: OccupancySamples;
  /** CPU time of the process running the client (user + system), ms. */
  cpuMs: number;
  wallMs: number;
  /** Virtual mode: the simulator shares the process, so cpuMs includes it. */
  cpuIncludesSimulator: boolean;
  client: ClientRun;
  /** Peak RSS of the process running the client, MB (scale runs). */
  rssPeakMb?: number;
  /** Scenarios with platform limits, in virtual time: probes, work per type, fluid bound. */
  platform?: PlatformTrace;
}

export function snapshot(stats: SimulatorStats | Record<string, unknown>): StatsSnapshot {
  const { pollsByTask: _drop, ...rest } = stats as SimulatorStats;
  return rest;
}
