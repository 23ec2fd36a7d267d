// The simulator in its own process for the real-time benchmark: `node --import tsx
// bench/harness/sim-child.ts '<json>'`. It runs on a scaled clock (virtual seconds = speedup ×
// wall seconds), so solve times, rate limits, throttle windows and Retry-After all scale alike,
// and applies the scenario's plan changes at their virtual times. It prints the same two lines as
// `captchaai sim` and stops on SIGTERM.
import {
  Simulator,
  startSimulatorServer,
  type SimulatorOptions,
} from '../../src/simulator/index.js';
import { systemClock } from '../../src/time/clock.js';
import { scaledClock } from '../../src/time/scaled-clock.js';
import { solvingNow, type OccupancySamples } from '../metrics/phases.js';
import type { ThreadChange } from '../scenarios/types.js';

/** What the parent passes as the only argument. */
export interface SimChildConfig {
  options: Partial<SimulatorOptions>;
  speedup: number;
  threadChanges: readonly ThreadChange[];
  /** Virtual ms between occupancy samples. */
  sampleMs: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as SimChildConfig;
const wallStart = Date.now();
const sim = new Simulator(config.options, { clock: scaledClock(systemClock, config.speedup) });
const server = await startSimulatorServer(sim, { host: '127.0.0.1', port: 0 });
const timers = config.threadChanges.map((change) =>
  setTimeout(() => sim.setThreads(sim.defaultKey, change.threads), change.atMs / config.speedup),
);
const samples: OccupancySamples = { t: [], inUse: [], solving: [] };
const sampler = setInterval(() => {
  const stats = sim.stats();
  samples.t.push(sim.clock.now() - sim.startedAt);
  samples.inUse.push(stats.slotsInUse);
  samples.solving.push(solvingNow(stats));
}, config.sampleMs / config.speedup);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text: string) => {
  if (text.includes('dump')) process.stdout.write(`samples: ${JSON.stringify(samples)}\n`);
});
process.stdout.write(
  `captchaai simulator listening on ${server.url}\nkey: ${sim.defaultKey}\nstarted: ${wallStart}\n`,
);
process.on('SIGTERM', () => {
  for (const timer of timers) clearTimeout(timer);
  clearInterval(sampler);
  void server.close().finally(() => {
    sim.close();
    process.exit(0);
  });
});
