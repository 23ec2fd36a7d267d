import type { SimulatorOptions, SolveTimeDistribution } from '../../src/simulator/index.js';
import type { Workload } from './tasks.js';

/** A plan change on the service at `atMs` of virtual time after the simulator starts. */
export interface ThreadChange {
  atMs: number;
  threads: number;
}

/** Which clients a scenario compares (see bench/clients/catalog.ts). */
export type ClientId =
  'ours' | 'vendor@20' | 'vendor@L*' | 'vendor@1.6L*' | 'p-retry@L*' | 'p-queue@L*';

/** Which target set a scenario's row of "ours" is checked against (bench/metrics/targets.ts). */
export type TargetSet = 'S1' | 'S3' | 'S4' | 'S6' | 'S8' | 'S9' | 'S10' | 'S11' | 'S12' | 'none';

/**
 * One benchmark situation: the simulator's settings (everything the bound is computed from) and
 * the work. The simulator options never include a clock, random or key; the harness adds them.
 */
export interface Scenario {
  /** e.g. `S1-50-ids`. */
  id: string;
  /** The scenario family it belongs to, e.g. `S1`. */
  group: string;
  /** One line for the table. */
  title: string;
  /** Account threads at the start (L*). */
  threads: number;
  /** Later plan changes (S3). */
  threadChanges: readonly ThreadChange[];
  sim: Omit<Partial<SimulatorOptions>, 'defaultAccount' | 'seed' | 'solveTime'> & {
    solveTime: SolveTimeDistribution;
  };
  tasks: number;
  /** Which tasks the list holds; undefined: reCAPTCHA v2 only (S1-S8). */
  workload?: Workload;
  /** Most tasks the application has in progress at once (S8); undefined: all of them. */
  demand?: number;
  /** The requests per second a careful user would give p-queue's interval cap. */
  configuredRps: number;
  clients: readonly ClientId[];
  targets: TargetSet;
  /**
   * Virtual time after which a run is stopped and every task not yet reported counts as failed
   * (`UNFINISHED`): a client whose limit collapsed would otherwise take days of virtual time.
   * Undefined: a run past 12 hours is an error of the bench (S1-S8).
   */
  stopAfterMs?: number;
}
