import { performance } from 'node:perf_hooks';
import { platformTypeOf, Simulator } from '../../src/simulator/index.js';
import { seededRandom } from '../../src/time/random.js';
import { clientFor } from '../clients/catalog.js';
import type { ClientRun } from '../clients/types.js';
import { solvingNow, type OccupancySamples } from '../metrics/phases.js';
import { benchTasks, type BenchTask } from '../scenarios/tasks.js';
import type { ClientId, Scenario } from '../scenarios/types.js';
import { meanSolveMs } from '../metrics/mean-solve.js';
import { hasPlatformLimits } from '../metrics/probe-times.js';
import { PlatformProbe } from './platform-probe.js';
import { snapshot, type RawRun } from './raw-run.js';
import { OutcomeRecorder } from './recorder.js';
import { TapTransport } from './tap-transport.js';
import { installVirtualTime } from './virtual-time.js';

/**
 * No run may take longer than this much virtual time (a stuck client fails instead of spinning),
 * unless the scenario stops its runs earlier (`stopAfterMs`, S9-S12).
 */
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
    const platform = hasPlatformLimits(scenario);
    const samples: OccupancySamples = { t: [], inUse: [], solving: [] };
    const refused: number[] = [];
    if (platform) samples.platformRefused = refused;
    stops.push(
      vt.every(SAMPLE_MS, () => {
        const stats = sim.stats();
        samples.t.push(vt.clock.now() - sim.startedAt);
        samples.inUse.push(stats.slotsInUse);
        samples.solving.push(solvingNow(stats));
        if (platform) refused.push(stats.platformRejections);
      }),
    );
    const probe = platform
      ? new PlatformProbe(sim, scenario, meanSolveMs(scenario), (ms, fn) => vt.at(ms, fn))
      : null;
    if (probe) stops.push(() => probe.stop());
    const tap = new TapTransport(sim.transport(), vt.clock);
    const recorder = new OutcomeRecorder(vt.clock);
    const tasks = benchTasks(scenario.tasks, scenario.workload);
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    let exposed: ClientRun = {};
    const outcome = await vt.runFor(
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
        expose: (live) => void (exposed = live),
      }),
      scenario.stopAfterMs ?? MAX_VIRTUAL_MS,
    );
    if (!outcome.settled) {
      if (scenario.stopAfterMs === undefined) {
        throw new Error(`virtual time: ${clientId} still running after ${MAX_VIRTUAL_MS} ms`);
      }
      recorder.reportUnfinished(tasks.length);
    }
    const run = outcome.settled ? outcome.value : exposed;
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - wall0;
    if (recorder.reported !== tasks.length) {
      throw new Error(`${clientId} reported ${recorder.reported} of ${tasks.length} tasks`);
    }
    for (const stop of stops.splice(0)) stop();
    const stats = snapshot(sim.stats());
    const trace = probe?.finish(outcome.settled ? undefined : { tasksByType: tasksByType(tasks) });
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
      ...(trace ? { platform: trace } : {}),
    };
  } finally {
    for (const stop of stops) stop();
    vt.uninstall();
  }
}

/** How many of `tasks` each CAPTCHA type of the simulator holds. */
function tasksByType(tasks: readonly BenchTask[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of tasks) {
    const type = platformTypeOf(task) ?? 'other';
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}
