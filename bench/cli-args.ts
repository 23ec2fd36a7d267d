import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** Run the full real-time suite (and the real-time scale run) too. */
  real: boolean;
  /** Skip virtual time (with --real: only the real-time suite). */
  realOnly: boolean;
  /** Skip the short default real-time run of S1. */
  virtualOnly: boolean;
  /** Scenario ids, groups or id prefixes up to a dash (see suites.ts `matchesOnly`); empty: all. */
  only: string[];
  /** Client ids to run; empty: each scenario's list. */
  clients: string[];
  seed: number;
  /** Real-time mode: virtual seconds per wall second. */
  speedup: number;
  scale: boolean;
  /** Lines of the batch memory run (a million-line `captchaai batch`); 0: no such run. */
  batchLines: number;
  /** Only the batch memory run. */
  batchOnly: boolean;
}

const USAGE = `npm run bench -- [options]
  --real            also run the real-time suite over loopback (about 2-3 minutes)
  --real-only       only the real-time suite
  --virtual-only    skip the short real-time run of S1
  --only S1,S4      scenario ids, groups (S1 is S1-*, not S10) or id prefixes (S1-50) to run
  --clients ours,vendor@L*   clients to run
  --seed N          seed of the simulator and our Solver (default 1)
  --speedup N       real time: simulated seconds per wall second (default 50)
  --no-scale        skip the 5,000-in-flight scale run
  --batch-memory    also run a 1,000,000-line captchaai batch and report its peak RSS and run
                    time (builds dist/ first; about 8 minutes on two cores)
  --batch-lines N   lines of that run (default 1000000; implies --batch-memory)
  --batch-only      only the batch memory run`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      real: { type: 'boolean', default: false },
      'real-only': { type: 'boolean', default: false },
      'virtual-only': { type: 'boolean', default: false },
      only: { type: 'string', default: '' },
      clients: { type: 'string', default: '' },
      seed: { type: 'string', default: '1' },
      speedup: { type: 'string', default: '50' },
      'no-scale': { type: 'boolean', default: false },
      'batch-memory': { type: 'boolean', default: false },
      'batch-lines': { type: 'string' },
      'batch-only': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const list = (s: string): string[] =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const seed = Number(values.seed);
  const speedup = Number(values.speedup);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  if (!(speedup > 0)) throw new Error(`--speedup must be a positive number, got ${values.speedup}`);
  const lines = Number(values['batch-lines'] ?? 1_000_000);
  if (!(Number.isInteger(lines) && lines > 0)) {
    throw new Error(`--batch-lines must be a positive integer, got ${values['batch-lines']}`);
  }
  const batch =
    values['batch-memory'] || values['batch-only'] || values['batch-lines'] !== undefined;
  return {
    real: values.real || values['real-only'],
    realOnly: values['real-only'],
    virtualOnly: values['virtual-only'],
    only: list(values.only),
    clients: list(values.clients),
    seed,
    speedup,
    scale: !values['no-scale'],
    batchLines: batch ? lines : 0,
    batchOnly: values['batch-only'],
  };
}
