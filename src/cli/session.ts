import { Solver } from '../solver/solver.js';
import type { SolverOptions } from '../solver/types.js';
import { systemClock } from '../time/clock.js';
import { scaledClock } from '../time/scaled-clock.js';
import { openCliLog } from './cli-log.js';
import type { RunningSimulator } from './embedded-simulator.js';
import type { GlobalSettings } from './global-options.js';
import type { Output } from './output.js';

/** Solver settings a command may add to the global ones (solve's polling flags). */
export type SolverTuning = Pick<
  SolverOptions,
  'pollIntervalMs' | 'firstPollDelayMs' | 'maxTransientAttempts' | 'allowUnknownMethods'
>;

export interface Session {
  solver: Solver;
  close(): Promise<void>;
}

/**
 * A Solver for the resolved global flags: against the configured service, or with `--sim`
 * against an embedded simulator on loopback. The simulator and the solver share one scaled
 * clock, so the documented waits (15 s first poll, 20 s solves) shrink by the same factor and the
 * run keeps its real proportions.
 */
export async function openSession(
  settings: GlobalSettings,
  output: Output,
  tuning: SolverTuning = {},
): Promise<Session> {
  let simulator: RunningSimulator | undefined;
  const log = openCliLog(settings.log, output);
  const base: Partial<SolverOptions> = {
    profile: settings.profile,
    ...tuning,
    ...log.solverOptions,
  };
  let solver: Solver;
  try {
    let solverOptions: SolverOptions;
    if (settings.sim) {
      const clock = scaledClock(systemClock, settings.sim.speed);
      // Loaded only when asked for: commands against the real service start faster without it.
      const { startSimulator } = await import('./embedded-simulator.js');
      simulator = await startSimulator({
        // A demo that fails one run in fifty at random teaches nothing; `captchaai sim
        // --unsolvable-rate` is there to try failures on purpose.
        options: { profile: settings.profile, unsolvableRate: 0 },
        clock,
        host: '127.0.0.1',
        port: 0,
      });
      output.log(`using the embedded simulator (no API key needed; time x${settings.sim.speed})`);
      solverOptions = {
        ...base,
        key: settings.key ?? simulator.key,
        baseUrl: simulator.url,
        clock,
      };
    } else {
      // resolveGlobalOptions guarantees a key outside --sim.
      solverOptions = { ...base, key: settings.key ?? '', baseUrl: settings.baseUrl };
    }
    output.addSecret(solverOptions.key);
    solver = new Solver(solverOptions);
  } catch (error) {
    await simulator?.close();
    log.close();
    throw error;
  }
  return {
    solver,
    async close() {
      await solver.close();
      await simulator?.close();
      log.close();
    },
  };
}
