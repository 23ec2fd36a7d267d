// One scale run in a fresh process, so its peak RSS is the run's own: `node --import tsx
// bench/scale/scale-child.ts <virtual|real> <threads> <speedup> <seed>`. Prints the run's record
// as JSON on the last line of stdout.
import { runReal } from '../harness/run-real.js';
import { runVirtual } from '../harness/run-virtual.js';
import { summarize } from '../metrics/summarize.js';
import { scaleScenario } from '../scenarios/catalog.js';

const [mode = 'virtual', threadsArg = '5000', speedupArg = '2', seedArg = '1'] =
  process.argv.slice(2);
const scenario = scaleScenario(Number(threadsArg));
const seed = Number(seedArg);
const raw =
  mode === 'real'
    ? await runReal(scenario, 'ours', seed, { speedup: Number(speedupArg), connections: 256 })
    : await runVirtual(scenario, 'ours', seed);
raw.rssPeakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify(summarize(raw), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`,
);
