import { performance } from 'node:perf_hooks';
import { Simulator } from '../../src/simulator/index.js';
import { seededRandom } from '../../src/time/random.js';
import { clientFor } from '../clients/catalog.js';
import { solvingNow, type OccupancySamples } from '../metrics/phases.js';
import { benchTasks } from '../scenarios/tasks.js';
import type { ClientId, Scenario } from '../scenarios/types.js';
import { meanSolveMs } from '../metrics/mean-solve.js';
import { snapshot, type RawRun } from './raw-run.js';
import { OutcomeRecorder } from './recorder.js';
import { TapTransport } from './tap-transport.js';
import { installVirtualTime } from './virtual-time.js';

/** No run may take longer than this much virtual time (a stuck client fails instead of spinning). */
const MAX_VIRTUAL_MS = 12 * 3600_000;
const SAMPLE_MS = 1_000;

/**
 * One client on one scenario in virtual time: the Simulator and its in-process transport, the
 * client and the baselines' libraries all on fake timers, driven until every task is reported.
 * Deterministic for a seed: the simulator draws from seededRandom(seed), our Solver from
 * seededRandom(seed + 1), and the baselines have no jitter.
 */
export async function runVirtual(
  scenario: Scenario,
  clientId: ClientId,
  seed: number,
): Promise<RawRun> {
  const client = clientFor(clientId);
  const vt = installVirtualTime();
  const stops: Array<() => void> = [];
  try {
    const sim = new Simulator(
      { ...scenario.sim, seed, defaultAccount: { threads: scenario.threads } },
      { clock: vt.clock, random: seededRandom(seed) },
    );
    const key = sim.defaultKey;
    for (const change of scenario.threadChanges) {
      stops.push(vt.at(change.atMs, () => sim.setThreads(key, change.threads)));
    }
    const samples: OccupancySamples = { t: [], inUse: [], solving: [] };
    stops.push(
      vt.every(SAMPLE_MS, () => {
        const stats = sim.stats();
        samples.t.push(vt.clock.now() - sim.startedAt);
        samples.inUse.push(stats.slotsInUse);
        samples.solving.push(solvingNow(stats));
      }),
    );
    const tap = new TapTransport(sim.transport(), vt.clock);
    const recorder = new OutcomeRecorder(vt.clock);
    const tasks = benchTasks(scenario.tasks);
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const run = await vt.run(
      client.run({
        transport: tap,
        key,
        clock: vt.clock,
        random: seededRandom(seed + 1),
        tasks,
        demand: scenario.demand,
        trueLimit: scenario.threads,
        configuredRps: scenario.configuredRps,
        libraryTimeScale: 1,
        report: recorder.report,
      }),
      MAX_VIRTUAL_MS,
    );
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - wall0;
    if (recorder.reported !== tasks.length) {
      throw new Error(`${clientId} reported ${recorder.reported} of ${tasks.length} tasks`);
    }
    for (const stop of stops.splice(0)) stop();
    const stats = snapshot(sim.stats());
    sim.close();
    return {
      scenario,
      clientId,
      label: client.label(scenario.threads),
      mode: 'virtual',
      seed,
      meanSolveMs: meanSolveMs(scenario),
      startedAt: sim.startedAt,
      stats,
      tap: tap.result(),
      outcomes: recorder.log,
      samples,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs,
      cpuIncludesSimulator: true,
      client: run,
    };
  } finally {
    for (const stop of stops) stop();
    vt.uninstall();
  }
}
