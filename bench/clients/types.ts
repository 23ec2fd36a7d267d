import type { Clock } from '../../src/time/clock.js';
import type { Random } from '../../src/time/random.js';
import type { Transport } from '../../src/transport/types.js';
import type { TaskOutcome } from '../harness/recorder.js';
import type { BenchTask } from '../scenarios/tasks.js';

/** Everything a client gets for one run; the same for ours and the baselines. */
export interface ClientEnv {
  transport: Transport;
  key: string;
  /** The shared clock (virtual time, or the scaled wall clock in real-time mode). */
  clock: Clock;
  /** Seeded: our Solver's jitter. The baselines have none. */
  random: Random;
  tasks: readonly BenchTask[];
  /** Most tasks the application has in progress at once; undefined: no limit (all tasks). */
  demand: number | undefined;
  /** The account's threads at the start (the L* that "at the limit" baselines are told). */
  trueLimit: number;
  /** Requests per second for a baseline's rate cap (p-queue's intervalCap per second). */
  configuredRps: number;
  /**
   * Converts a documented duration (virtual ms) into what a library timer must be given: 1 in
   * virtual time, 1/speedup in real time (p-retry's minTimeout, p-queue's interval).
   */
  libraryTimeScale: number;
  report(outcome: TaskOutcome): void;
  /**
   * Hands the harness the run's record while it is still being filled in, so a run stopped
   * before it returns (`stopAfterMs`) still shows what the client learnt.
   */
  expose?(run: ClientRun): void;
}

/** What ours learnt about the account's limit (from `limit-changed` events). */
export interface LimitTrace {
  final: number;
  max: number;
  changes: number;
  /** Changes caused by probing above the limit. */
  probes: number;
  /**
   * Every value the estimate took, in order: `atMs` on the run's clock (S11, S12: how long the
   * estimate stayed below the true threads after a platform refusal).
   */
  timeline: LimitPoint[];
}

/** The limit estimate from `atMs` on (clock time), until the next point. */
export interface LimitPoint {
  atMs: number;
  limit: number;
}

export interface ClientRun {
  limit?: LimitTrace;
  /** The concurrency a baseline actually ran with. */
  concurrency?: number;
}

export interface BenchClient {
  /** e.g. `vendor@L*`. */
  readonly id: string;
  /** The label for a run, e.g. `vendor@50`. */
  label(trueLimit: number): string;
  run(env: ClientEnv): Promise<ClientRun>;
}
