import type { ServiceProfile, SolverOptions } from '../solver/types.js';
import { systemClock, type Clock } from '../time/clock.js';
import { scaledClock } from '../time/scaled-clock.js';
import { createBatchSolver, type BatchSolver } from './batch-solver.js';
import type { ServiceCounts } from './summary.js';

export interface BatchSessionInput {
  /** Undefined only with `sim`: the simulator's own account key is used. */
  key: string | undefined;
  baseUrl: string;
  profile: ServiceProfile;
  /** Flow and timing options for the Solver. */
  flow: Partial<SolverOptions>;
  /** Run against an embedded simulator whose time runs `speed` times faster. */
  sim: { speed: number } | undefined;
}

/** The Solver a batch runs on, the clock it shares, and the service's own counts when known. */
export interface BatchSession {
  batch: BatchSolver;
  clock: Clock;
  /** The key in use (to mask it in everything printed). */
  key: string;
  counts: (() => ServiceCounts) | undefined;
  close(): Promise<void>;
}

/**
 * Opens the service for a batch: the configured one, or an embedded simulator on loopback (the
 * CLI's `--sim`) whose clock runs `speed` times faster and is shared with the Solver, so that
 * the documented waits shrink alike and the example file finishes in seconds.
 */
export async function openBatchSession(input: BatchSessionInput): Promise<BatchSession> {
  const base = { ...input.flow, profile: input.profile };
  if (!input.sim) {
    const key = input.key ?? '';
    const batch = createBatchSolver({ ...base, key, baseUrl: input.baseUrl });
    return { batch, clock: systemClock, key, counts: undefined, close: () => batch.close() };
  }
  const clock = scaledClock(systemClock, input.sim.speed);
  // Loaded only when asked for: runs against the real service do without it.
  const { Simulator, startSimulatorServer } = await import('../simulator/index.js');
  // A demo that fails one task in fifty at random teaches nothing.
  const sim = new Simulator({ profile: input.profile, unsolvableRate: 0 }, { clock });
  const server = await startSimulatorServer(sim, { host: '127.0.0.1', port: 0 });
  const key = input.key ?? sim.defaultKey;
  const batch = createBatchSolver({ ...base, key, baseUrl: server.url, clock });
  return {
    batch,
    clock,
    key,
    counts: () => {
      const stats = sim.stats();
      return { requests: stats.requests, billedSolves: stats.billedSolves };
    },
    async close() {
      await batch.close();
      await server.close();
      sim.close();
    },
  };
}
