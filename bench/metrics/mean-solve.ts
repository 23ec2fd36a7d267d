import { resolveSimulatorOptions } from '../../src/simulator/index.js';
import { meanSolveMs as distributionMean } from '../../src/simulator/solve-time.js';
import type { Scenario } from '../scenarios/types.js';

/**
 * E[solve time] in ms of the scenario's distribution, as the simulator computes it (log-normal:
 * median·exp(σ²/2); capped Pareto: E[min(X, cap)]): the T_occ of the bound.
 */
export function meanSolveMs(scenario: Scenario): number {
  const mean = distributionMean('recaptchaV2', resolveSimulatorOptions(scenario.sim));
  if (mean === undefined)
    throw new Error(`${scenario.id}: the solve-time distribution has no finite mean`);
  return mean;
}
