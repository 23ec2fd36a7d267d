import { performance } from 'node:perf_hooks';
import { systemClock } from '../../src/time/clock.js';
import { seededRandom } from '../../src/time/random.js';
import { scaledClock } from '../../src/time/scaled-clock.js';
import { createHttpTransport } from '../../src/transport/http-transport.js';
import { clientFor } from '../clients/catalog.js';
import { benchTasks } from '../scenarios/tasks.js';
import type { ClientId, Scenario } from '../scenarios/types.js';
import { meanSolveMs } from '../metrics/mean-solve.js';
import { snapshot, type RawRun } from './raw-run.js';
import { OutcomeRecorder } from './recorder.js';
import { startSimProcess } from './sim-process.js';
import { TapTransport } from './tap-transport.js';

export interface RealRunOptions {
  /** Virtual seconds per wall second, for the simulator and the client alike. */
  speedup: number;
  /** Sockets of the client's HTTP transport. @default 128 */
  connections?: number;
}

/** Virtual ms between the simulator child's samples of itself. */
const SAMPLE_MS = 1_000;

/**
 * One client on one scenario in real time over loopback: the simulator in its own process on a
 * clock `speedup` times faster than the wall; the client in this process over real HTTP, on
 * scaledClock(systemClock, speedup), with the baselines' library timers scaled by 1/speedup.
 * CPU time is this process's only, so it is the client's (plus the tap's few counters); the
 * simulator samples its own occupancy.
 */
export async function runReal(
  scenario: Scenario,
  clientId: ClientId,
  seed: number,
  options: RealRunOptions,
): Promise<RawRun> {
  const client = clientFor(clientId);
  const { speedup } = options;
  const sim = await startSimProcess({
    options: { ...scenario.sim, seed, defaultAccount: { threads: scenario.threads } },
    speedup,
    threadChanges: scenario.threadChanges,
    sampleMs: SAMPLE_MS,
  });
  // The simulator's clock, read in this process: a clock of its own, started a moment later,
  // would run ahead of the simulator's by that moment times the speedup (seconds at ×50), and a
  // date-form Retry-After would be read against it. The skew a scenario wants is the simulator's
  // clockSkewMs.
  const clock = scaledClock(systemClock, speedup, sim.startedAtWall);
  const startedAt = sim.startedAtWall;
  const http = createHttpTransport({ baseUrl: sim.url, connections: options.connections ?? 128 });
  try {
    const tap = new TapTransport(http, clock);
    const recorder = new OutcomeRecorder(clock);
    const tasks = benchTasks(scenario.tasks, scenario.workload);
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const run = await client.run({
      transport: tap,
      key: sim.key,
      clock,
      random: seededRandom(seed + 1),
      tasks,
      demand: scenario.demand,
      trueLimit: scenario.threads,
      configuredRps: scenario.configuredRps,
      libraryTimeScale: 1 / speedup,
      report: recorder.report,
    });
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - wall0;
    const stats = snapshot(await sim.stats());
    const samples = await sim.samples();
    return {
      scenario,
      clientId,
      label: client.label(scenario.threads),
      mode: 'real',
      seed,
      speedup,
      meanSolveMs: meanSolveMs(scenario),
      startedAt,
      stats,
      tap: tap.result(),
      outcomes: recorder.log,
      samples,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs,
      cpuIncludesSimulator: false,
      client: run,
    };
  } finally {
    await http.close?.();
    await sim.stop();
  }
}
