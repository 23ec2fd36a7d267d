// Memory of a million-line `captchaai batch`: generates the JSONL file in a temp dir and runs
// the batch runner in this process, with the real SQLite journal and an fsynced output file,
// against a simulator with 5,000 threads and solve times shrunk to tens of milliseconds. Prints
// peak RSS, runtime and the simulator's counters.
//
//   node --expose-gc --import tsx bench/batch-memory.ts [--lines 1000000] [--threads 5000] [--in-process] [--dist]
//
// `--dist` loads the library (and runs the simulator child) from dist/ (`npm run build` first):
// the compiled code `captchaai batch` runs, without tsx's per-function overhead; this driver
// stays TypeScript. `npm run bench -- --batch-memory` builds and runs it that way.
// The last line of stdout is `result: {json}` with the figures.
//
// With --expose-gc it also reports the live heap (after a full GC) every 30 s: flat when memory
// is bounded by the tasks in flight rather than by the length of the input.
// By default the simulator is a `captchaai sim` child on loopback, so the RSS measured is the
// batch process's alone. `--in-process` runs it in this process instead (no HTTP, faster): the
// simulator keeps a little bookkeeping per task forever (duplicate fingerprints, polls per
// task), which then shows in the RSS too.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as BatchRunnerModule from '../src/batch/batch-runner.js';
import type * as BatchSolverModule from '../src/batch/batch-solver.js';
import type * as LineReaderModule from '../src/batch/line-reader.js';
import type * as OutputSinkModule from '../src/batch/output-sink.js';
import type * as JournalModule from '../src/batch/sqlite-journal-store.js';
import type * as SimulatorModule from '../src/simulator/index.js';
import type * as ClockModule from '../src/time/clock.js';
import type * as HeapTuningModule from '../src/cli/heap-tuning.js';
import type { SolverOptions } from '../src/solver/types.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = process.argv.includes('--dist');
/** Where the library comes from: its TypeScript source (through tsx) or the compiled dist/. */
const LIB = DIST ? '../dist' : '../src';
const { BatchRunner } = (await import(`${LIB}/batch/batch-runner.js`)) as typeof BatchRunnerModule;
const { createBatchSolver } = (await import(
  `${LIB}/batch/batch-solver.js`
)) as typeof BatchSolverModule;
const { readInputFile } = (await import(`${LIB}/batch/line-reader.js`)) as typeof LineReaderModule;
const { FileSink } = (await import(`${LIB}/batch/output-sink.js`)) as typeof OutputSinkModule;
const { SqliteJournalStore } = (await import(
  `${LIB}/batch/sqlite-journal-store.js`
)) as typeof JournalModule;
const { Simulator } = (await import(`${LIB}/simulator/index.js`)) as typeof SimulatorModule;
const { systemClock } = (await import(`${LIB}/time/clock.js`)) as typeof ClockModule;
const { tuneHeapForLongRuns } = (await import(
  `${LIB}/cli/heap-tuning.js`
)) as typeof HeapTuningModule;
const MB = 1024 * 1024;
/** Simulator solve times × this: 12-20 s become 24-40 ms. */
const TIME_SCALE = 0.002;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a number > 0`);
  return value;
}

const LINES = flag('lines', 1_000_000);
const THREADS = flag('threads', 5_000);
const IN_PROCESS = process.argv.includes('--in-process');

async function writeInput(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < LINES; i++) {
    const line = `{"id":${i},"method":"turnstile","sitekey":"0x4AAAAAAAC3DHQFLr1GavRN","pageurl":"https://example.com/page/${i}"}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

interface Service {
  solver: Pick<SolverOptions, 'key' | 'transport' | 'baseUrl'>;
  counters(): Promise<{ acceptedSubmits: number; duplicateSubmits: number; requests: number }>;
  close(): Promise<void>;
}

function inProcessService(): Service {
  const sim = new Simulator({
    unsolvableRate: 0,
    timeScale: TIME_SCALE,
    batchPoll: true,
    defaultAccount: { threads: THREADS },
  });
  return {
    solver: { key: sim.defaultKey, transport: sim.transport() },
    counters: () => Promise.resolve(sim.stats()),
    close: () => Promise.resolve(sim.close()),
  };
}

async function childService(): Promise<Service> {
  // From source through tsx; from a compiled copy of the repository (tsc output), as it is.
  const compiled = import.meta.url.endsWith('.js');
  const args = [
    ...(compiled
      ? ['src/cli/main.js']
      : DIST
        ? ['dist/cli/main.js']
        : ['--import', 'tsx', 'src/cli/main.ts']),
    'sim',
    '--threads',
    String(THREADS),
    '--time-scale',
    String(TIME_SCALE),
    '--unsolvable-rate',
    '0',
    '--batch-poll',
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  for (let waited = 0; !/^key: \S+$/m.test(stdout); waited += 50) {
    if (waited > 30_000 || child.exitCode !== null)
      throw new Error(`captchaai sim did not start: ${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1] ?? '';
  const key = /^key: (\S+)$/m.exec(stdout)?.[1] ?? '';
  return {
    solver: { key, baseUrl: url },
    async counters() {
      const response = await fetch(`${url}/__sim/stats?key=${encodeURIComponent(key)}`);
      return (await response.json()) as {
        acceptedSubmits: number;
        duplicateSubmits: number;
        requests: number;
      };
    },
    async close() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-memory-'));
try {
  const input = join(dir, 'tasks.jsonl');
  await writeInput(input);
  const service = IN_PROCESS ? inProcessService() : await childService();
  console.log(
    `batch memory: ${LINES.toLocaleString('en')} lines (${(statSync(input).size / MB).toFixed(0)} MB), ${THREADS} threads, simulator ${IN_PROCESS ? 'in this process' : 'in a child process (loopback HTTP)'}`,
  );
  // The heap setting `captchaai batch` applies to its own process (unless given one).
  const tuned = tuneHeapForLongRuns();
  const baseline = process.memoryUsage().rss;
  const batch = createBatchSolver({
    ...service.solver,
    firstPollDelayMs: { image: 20, token: 20, challenge: 20 },
    pollIntervalMs: 20,
    // A CPU-bound run falls behind; no task should time out for that.
    timeoutMs: { image: 600_000, token: 600_000, challenge: 600_000 },
  });
  // Where the limit went, by reason: net change and count.
  const limitMoves = new Map<string, { net: number; count: number }>();
  batch.solver.on('limit-changed', (change) => {
    const move = limitMoves.get(change.reason) ?? { net: 0, count: 0 };
    move.net += change.limit - change.previous;
    move.count++;
    limitMoves.set(change.reason, move);
  });
  const journal = new SqliteJournalStore(join(dir, 'tasks.journal.sqlite'));
  const sink = new FileSink(join(dir, 'out.jsonl'));
  const runner = new BatchRunner({
    solver: batch.solver,
    gate: batch.gate,
    journal,
    sink,
    clock: systemClock,
    profile: 'captchaai',
  });
  let peak = baseline;
  const started = Date.now();
  let peakAtS = 0;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) {
      peak = rss;
      peakAtS = (Date.now() - started) / 1000;
    }
  }, 100);
  const gc = (globalThis as { gc?: () => void }).gc;
  const live: number[] = [];
  const progress = setInterval(() => {
    const s = runner.stats;
    const usage = process.memoryUsage();
    const rss = usage.rss / MB;
    const parts = `heap total ${(usage.heapTotal / MB).toFixed(0)} MB, external ${(usage.external / MB).toFixed(0)} MB`;
    let heap = '';
    if (gc) {
      gc();
      live.push(process.memoryUsage().heapUsed / MB);
      heap = `, live heap ${live[live.length - 1]?.toFixed(0)} MB`;
    }
    console.log(
      `  ${((Date.now() - started) / 1000).toFixed(0)}s: ${s.done.toLocaleString('en')} done, ${runner.control.openCount} open, limit ${batch.solver.flow.limit}, rss ${rss.toFixed(0)} MB (${parts})${heap}`,
    );
  }, 30_000);
  const outcome = await runner.run(readInputFile(input));
  clearInterval(sampler);
  clearInterval(progress);
  const elapsed = (Date.now() - started) / 1000;
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  const counters = await service.counters();
  console.log(
    `outcome: ${outcome.reason}; ${outcome.stats.ok.toLocaleString('en')} ok, ${outcome.stats.failed} failed`,
  );
  console.log(
    `runtime: ${elapsed.toFixed(1)} s (${(outcome.stats.done / elapsed).toFixed(0)} lines/s)`,
  );
  console.log(
    `peak RSS: ${(peak / MB).toFixed(0)} MB (sampled peak at ${peakAtS.toFixed(0)} s; before the run: ${(baseline / MB).toFixed(0)} MB)`,
  );
  console.log(
    `simulator: ${counters.acceptedSubmits.toLocaleString('en')} accepted, ${counters.duplicateSubmits} duplicates, ${counters.requests.toLocaleString('en')} requests`,
  );
  if (live.length > 0) {
    console.log(
      `live heap after GC: min ${Math.min(...live).toFixed(0)} MB, max ${Math.max(...live).toFixed(0)} MB over ${live.length} samples`,
    );
  }
  console.log(`journal: ${JSON.stringify(journal.counts())}`);
  console.log(
    `limit ${batch.solver.flow.limit} at the end; changes by reason: ${[...limitMoves]
      .map(([reason, { net, count }]) => `${reason} ${net >= 0 ? '+' : ''}${net} (${count}x)`)
      .join(', ')}`,
  );
  await batch.close();
  journal.close();
  sink.close();
  await service.close();
  const result = {
    lines: LINES,
    threads: THREADS,
    compiled: DIST || import.meta.url.endsWith('.js'),
    peakRssMb: peak / MB,
    runtimeS: elapsed,
    ok: outcome.stats.ok,
    failed: outcome.stats.failed,
    liveHeapMaxMb: live.length > 0 ? Math.max(...live) : null,
    execArgv: process.execArgv,
    heapTuned: tuned,
  };
  console.log(`result: ${JSON.stringify(result)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
