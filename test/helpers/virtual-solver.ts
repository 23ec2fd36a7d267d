import { Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { Solver } from '../../src/solver/solver.js';
import type { SolverOptions } from '../../src/solver/types.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { seededRandom } from '../../src/time/random.js';

/** Where the virtual clock of these runs starts. */
export const VIRTUAL_START = 1_700_000_000_000;

/**
 * A Solver against the in-process simulator on one manual clock: whole runs in virtual time,
 * deterministic for the two seeds. The simulator solves in about 20 s (log-normal), never answers
 * ERROR_CAPTCHA_UNSOLVABLE and hides its threads, unless `sim` says otherwise.
 */
export function virtualSolver(
  seeds: { sim: number; solver: number },
  sim: Partial<SimulatorOptions> = {},
  solver: Partial<SolverOptions> = {},
): { clock: ManualClock; simulator: Simulator; client: Solver } {
  const clock = new ManualClock(VIRTUAL_START);
  const simulator = new Simulator(
    {
      threadsInfo: false,
      unsolvableRate: 0,
      solveTime: { kind: 'lognormal', meanMs: 20_000, sigma: 0.5 },
      seed: seeds.sim,
      ...sim,
    },
    { clock },
  );
  const client = new Solver({
    key: simulator.defaultKey,
    transport: simulator.transport(),
    clock,
    random: seededRandom(seeds.solver),
    ...solver,
  });
  return { clock, simulator, client };
}
