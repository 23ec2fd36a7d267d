// The CLI in a pipeline: a reader that stops early (`captchaai ... | head -1`) ends the process
// quietly, without a stack trace and without losing a batch's results; `-q` leaves only results
// and errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  BATCH_FAST,
  distinctTasks,
  journalCounts,
  readRecords,
  writeJsonl,
} from './helpers/batch.js';
import { ChildOutput, runCli, spawnCli, type CliRun } from './helpers/cli.js';
import { GOOGLEKEY, PAGE } from './helpers/fixtures.js';
import { assertNoKeyLeak, SECRET_KEY, startTestSimulator } from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-pipes-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** As shells report a death by SIGPIPE (128 + 13), like `seq 1 1000000 | head -1`. */
const CLOSED_PIPE_EXIT = 141;
const SOLVE_ARGS = [
  'solve',
  '--method',
  'userrecaptcha',
  '--googlekey',
  GOOGLEKEY,
  '--pageurl',
  PAGE,
];
const FAST_POLLS = BATCH_FAST.filter((a) => a !== '--quiet');

/** A crash shows as Node's own report: a stack frame, the error's name, or the errno. */
function assertNoCrashReport(stderr: string): void {
  assert.doesNotMatch(stderr, /EPIPE|^\s+at |Error\b|node:events|Unhandled/m, stderr);
}

describe('captchaai in a pipeline', { concurrency: true }, () => {
  test('--help into a reader that is already gone: no stack trace, exit 141 like a SIGPIPE death', async () => {
    const child = spawnCli(['--help']);
    // Closed before the CLI has even started: its first write meets a pipe without a reader.
    child.stdout.destroy();
    const output = new ChildOutput(child);
    child.stdin.end();
    const code = await output.exit();
    assertNoCrashReport(output.stderr);
    assert.equal(output.stderr, '');
    assert.equal(code, CLOSED_PIPE_EXIT);
  });

  test('batch whose stdout reader leaves after the first line: stops cleanly, exit 141, the journal keeps the rest for a rerun', async () => {
    const target = await startTestSimulator({ timeScale: 0.03 }, { threads: 4 });
    try {
      const input = join(dir, 'head.jsonl');
      writeJsonl(input, distinctTasks(40, 'head'));
      const args = ['batch', input, '--base-url', target.url, ...FAST_POLLS];
      const child = spawnCli(args, { env: { CAPTCHAAI_KEY: SECRET_KEY } });
      child.stdin.end();
      const output = new ChildOutput(child);
      await output.waitFor(/\n/, 20_000);
      child.stdout.destroy();
      const code = await output.exit();
      const run: CliRun = { code, signal: null, stdout: output.stdout, stderr: output.stderr };
      assertNoKeyLeak(run, 'closed stdout');
      assertNoCrashReport(output.stderr);
      assert.equal(code, CLOSED_PIPE_EXIT, output.stderr);
      // Not silent: the one error line says where the results that were not printed are.
      assert.match(
        output.stderr,
        /^error: STDOUT_CLOSED: .*head\.jsonl\.journal\.sqlite.*run the same command again/m,
      );
      const counts = journalCounts(`${input}.journal.sqlite`);
      assert.ok(counts.written >= 1 && counts.written < 40, JSON.stringify(counts));
      // Stopped as after Ctrl-C: the tasks in flight were collected, not left on the wire.
      assert.equal(counts.submitting + counts.ambiguous, 0, JSON.stringify(counts));

      // The rerun delivers every line the closed pipe did not take, and nothing twice.
      const out = join(dir, 'head.out.jsonl');
      const rerun = await runCli([...args, '--out', out], {
        env: { CAPTCHAAI_KEY: SECRET_KEY },
        timeoutMs: 40_000,
      });
      assert.equal(rerun.code, 0, rerun.stderr);
      const ids = readRecords(out).map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, 'no line twice');
      assert.equal(ids.length + counts.written, 40);
      assert.equal(target.sim.stats(SECRET_KEY).duplicateSubmits, 0);
    } finally {
      await target.close();
    }
  });

  test('a closed stderr drops the progress lines, not the answer: exit 0', async () => {
    const child = spawnCli([...SOLVE_ARGS, '--sim']);
    child.stderr.destroy();
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    assert.match(stdout, /^03A\S+\n$/);
  });

  test('-q prints only results and errors, in every command that takes it', async () => {
    const input = join(dir, 'quiet.jsonl');
    writeJsonl(input, distinctTasks(3, 'quiet'));
    const [solve, batch] = await Promise.all([
      runCli([...SOLVE_ARGS, '--sim', '-q'], { env: { CAPTCHAAI_KEY: SECRET_KEY } }),
      runCli(['batch', input, '--sim', '-q'], {
        env: { CAPTCHAAI_KEY: SECRET_KEY },
        timeoutMs: 40_000,
      }),
    ]);
    for (const [name, run] of [
      ['solve', solve],
      ['batch', batch],
    ] as const) {
      assertNoKeyLeak(run, name);
      assert.equal(run.code, 0, `${name}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /embedded simulator/, name);
      assert.equal(run.stderr, '', name);
    }
    assert.match(solve.stdout, /^03A\S+\n$/);
    assert.equal(batch.stdout.trim().split('\n').length, 3);
    for (const line of batch.stdout.trim().split('\n')) {
      assert.equal((JSON.parse(line) as { status: string }).status, 'ok', line);
    }
  });
});
