// One real-time run in a fresh process, so its CPU time and peak RSS are the client's alone:
// `node --import tsx --import ./bench/harness/compiled-library.mjs bench/harness/real-child.ts
// <scenario> <client> <speedup> <seed> [tasks] [connections]`, `<scenario>` an id of the catalog
// or SCALE-<threads>. Prints the run's record as JSON on the last line of stdout.
import { summarize } from '../metrics/summarize.js';
import { catalog, scaleScenario } from '../scenarios/catalog.js';
import type { ClientId, Scenario } from '../scenarios/types.js';
import { runReal } from './run-real.js';

const [
  id = 'S1-50-ids',
  client = 'ours',
  speedupArg = '50',
  seedArg = '1',
  tasksArg,
  connectionsArg,
] = process.argv.slice(2);

function scenarioFor(scenarioId: string): Scenario {
  const scale = /^SCALE-(\d+)$/.exec(scenarioId);
  if (scale) return scaleScenario(Number(scale[1]));
  const found = catalog().find((s) => s.id === scenarioId);
  if (!found) throw new Error(`no scenario ${scenarioId}`);
  return found;
}

const base = scenarioFor(id);
const scenario = tasksArg ? { ...base, tasks: Number(tasksArg) } : base;
const raw = await runReal(scenario, client as ClientId, Number(seedArg), {
  speedup: Number(speedupArg),
  ...(connectionsArg ? { connections: Number(connectionsArg) } : {}),
});
raw.rssPeakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify(summarize(raw), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`,
);
