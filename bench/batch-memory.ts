// Memory of `captchaai batch` on a million-line input: generates the JSONL file in a temp dir,
// runs the batch runner in this process against the in-process simulator (5,000 threads, a
// scaled clock so the run is CPU-bound, not time-bound), with the real SQLite journal and an
// fsynced output file, and prints peak RSS, runtime and the simulator's counters.
//
//   node --import tsx bench/batch-memory.ts [--lines 1000000] [--threads 5000] [--speed 50]
//
// The simulator lives in the same process and keeps a little bookkeeping per task (duplicate
// fingerprints, polls per task): its share is measured too (heap used by a simulator alone
// after the same number of tasks is not separable here, so it is reported as part of the peak).
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { BatchRunner } from '../src/batch/batch-runner.js';
import { createBatchSolver } from '../src/batch/batch-solver.js';
import { readInputFile } from '../src/batch/line-reader.js';
import { FileSink } from '../src/batch/output-sink.js';
import { SqliteJournalStore } from '../src/batch/sqlite-journal-store.js';
import { Simulator } from '../src/simulator/index.js';
import { systemClock } from '../src/time/clock.js';
import { scaledClock } from '../src/time/scaled-clock.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a number > 0`);
  return value;
}

const LINES = flag('lines', 1_000_000);
const THREADS = flag('threads', 5_000);
const SPEED = flag('speed', 50);
const MB = 1024 * 1024;

async function writeInput(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < LINES; i++) {
    const line = `{"id":${i},"method":"turnstile","sitekey":"0x4AAAAAAAC3DHQFLr1GavRN","pageurl":"https://example.com/page/${i}"}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-memory-'));
try {
  const input = join(dir, 'tasks.jsonl');
  await writeInput(input);
  console.log(`input: ${LINES.toLocaleString('en')} lines, ${(statSync(input).size / MB).toFixed(0)} MB`);
  const baseline = process.memoryUsage().rss;
  const clock = scaledClock(systemClock, SPEED);
  const sim = new Simulator(
    { unsolvableRate: 0, batchPoll: true, defaultAccount: { threads: THREADS }, solveTime: { kind: 'lognormal', medianMs: 12_000, sigma: 0.4 } },
    { clock },
  );
  const batch = createBatchSolver({
    key: sim.defaultKey,
    transport: sim.transport(),
    clock,
    // A CPU-bound run falls behind its scaled clock; no task should time out for that.
    timeoutMs: { image: 3_600_000, token: 3_600_000, challenge: 3_600_000 },
  });
  const journal = new SqliteJournalStore(join(dir, 'tasks.journal.sqlite'));
  const sink = new FileSink(join(dir, 'out.jsonl'));
  const runner = new BatchRunner({ solver: batch.solver, gate: batch.gate, journal, sink, clock, profile: 'captchaai' });
  let peak = process.memoryUsage().rss;
  let peakHeap = 0;
  const started = Date.now();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 100);
  const progress = setInterval(() => {
    const s = runner.stats;
    console.log(`  ${((Date.now() - started) / 1000).toFixed(0)}s: ${s.done.toLocaleString('en')} done, ${runner.control.openCount} open, limit ${batch.solver.flow.limit}, rss ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);
  }, 10_000);
  const outcome = await runner.run(readInputFile(input));
  clearInterval(sampler);
  clearInterval(progress);
  const elapsed = (Date.now() - started) / 1000;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const stats = sim.stats();
  console.log(`outcome: ${outcome.reason}; ${outcome.stats.ok.toLocaleString('en')} ok, ${outcome.stats.failed} failed`);
  console.log(`runtime: ${elapsed.toFixed(1)} s (${(outcome.stats.done / elapsed).toFixed(0)} lines/s)`);
  console.log(`peak RSS: ${(Math.max(peak, maxRss) / MB).toFixed(0)} MB (before the run: ${(baseline / MB).toFixed(0)} MB; peak heap used ${(peakHeap / MB).toFixed(0)} MB)`);
  console.log(`simulator: ${stats.acceptedSubmits.toLocaleString('en')} accepted, ${stats.duplicateSubmits} duplicates, ${stats.maxSlotsInUse} threads used at most, ${stats.requests.toLocaleString('en')} requests`);
  console.log(`journal: ${JSON.stringify(journal.counts())}`);
  await batch.close();
  journal.close();
  sink.close();
  sim.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
