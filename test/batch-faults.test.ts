// `captchaai batch` when the account or the network fails: an account error mid-run stops
// submitting (exit 3, no busy loop) and a rerun continues; lost submit answers become
// AMBIGUOUS_SUBMIT records unless --resubmit-ambiguous.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import {
  assertExactlyOnce,
  BATCH_FAST,
  distinctTasks,
  journalCounts,
  readRecords,
  waitUntil,
  writeJsonl,
} from './helpers/batch.js';
import { ChildOutput, runCli, spawnCli } from './helpers/cli.js';
import { assertNoKeyLeak, SECRET_KEY, startTestSimulator } from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-faults-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const ENV = { CAPTCHAAI_KEY: SECRET_KEY };
const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('captchaai batch on a bad day', { concurrency: true }, () => {
  test('an account error mid-run: exit 3 at once, no busy loop; a rerun with threads again completes', async () => {
    const target = await startTestSimulator({ timeScale: 0.02 }, { threads: 4 });
    try {
      const input = join(dir, 'account.jsonl');
      writeJsonl(input, distinctTasks(40, 'account'));
      const out = join(dir, 'account.out.jsonl');
      const args = [
        'batch',
        input,
        '--out',
        out,
        '--base-url',
        target.url,
        ...BATCH_FAST.filter((a) => a !== '--quiet'),
      ];
      const child = spawnCli(args, { env: ENV });
      const watched = new ChildOutput(child);
      await waitUntil(() => readRecords(out).length >= 6, 20_000, 'a few results');
      // The plan runs out: CaptchaAI answers ERROR_KEY_DOES_NOT_EXIST to every submit.
      target.sim.setThreads(SECRET_KEY, 0);
      const code = await watched.exit();
      assert.equal(code, 3, watched.stderr);
      assert.match(watched.stderr, /error: ERROR_KEY_DOES_NOT_EXIST: .*stopped submitting/);
      assert.ok(!watched.stderr.includes('SECRETKEY'));
      const stats = target.sim.stats(SECRET_KEY);
      const refused = stats.codes['ERROR_KEY_DOES_NOT_EXIST'] ?? 0;
      assert.ok(
        refused >= 1 && refused <= 4 + 1,
        `${refused} submits refused: more than the tasks in flight means a loop`,
      );
      const requests = stats.requests;
      await sleep(300);
      assert.equal(
        target.sim.stats(SECRET_KEY).requests,
        requests,
        'nothing is sent after the exit',
      );
      assert.ok(
        readRecords(out).every((r) => r.status === 'ok'),
        "an account error is no line's result",
      );
      const counts = journalCounts(`${input}.journal.sqlite`);
      assert.equal(counts.done + counts.submitting + counts.ambiguous, 0, JSON.stringify(counts));

      target.sim.setThreads(SECRET_KEY, 4);
      const rerun = await runCli(args, { env: ENV, timeoutMs: 40_000 });
      assert.equal(rerun.code, 0, rerun.stderr);
      assertExactlyOnce(readRecords(out), ids(40));
      assert.equal(target.sim.stats(SECRET_KEY).duplicateSubmits, 0);
    } finally {
      await target.close();
    }
  });

  test('a wrong key: exit 3 after one submit per open task, nothing written', async () => {
    const target = await startTestSimulator({ timeScale: 0.02 });
    try {
      const input = join(dir, 'wrongkey.jsonl');
      writeJsonl(input, distinctTasks(30, 'wrongkey'));
      const run = await runCli(['batch', input, '--base-url', target.url, ...BATCH_FAST], {
        env: { CAPTCHAAI_KEY: 'SECRETKEYzzzzzzzzzzzzzzzzzzzzzzz' },
      });
      assert.equal(run.code, 3, run.stderr);
      assertNoKeyLeak(run);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /ERROR_KEY_DOES_NOT_EXIST/);
    } finally {
      await target.close();
    }
  });

  test('lost submit answers: AMBIGUOUS_SUBMIT records without the flag, solved with --resubmit-ambiguous', async () => {
    const faults = { reset: 0.25, afterProcessing: 1 };
    const tasks = distinctTasks(20, 'ambiguous');
    const run = async (extra: string[], name: string) => {
      const target = await startTestSimulator(
        { timeScale: 0.01, faults, seed: 7 },
        { threads: 20 },
      );
      try {
        const input = join(dir, `${name}.jsonl`);
        writeJsonl(input, tasks);
        const out = join(dir, `${name}.out.jsonl`);
        const result = await runCli(
          [
            'batch',
            input,
            '--out',
            out,
            '--base-url',
            target.url,
            '--max-attempts',
            '10',
            ...BATCH_FAST,
            ...extra,
          ],
          { env: ENV, timeoutMs: 40_000 },
        );
        const records = readRecords(out);
        assertExactlyOnce(records, ids(20));
        return { records, stats: target.sim.stats(SECRET_KEY), code: result.code, result };
      } finally {
        await target.close();
      }
    };
    const [plain, flagged] = await Promise.all([
      run([], 'ambiguous-plain'),
      run(['--resubmit-ambiguous'], 'ambiguous-flag'),
    ]);
    const lost = plain.records.filter((r) => r.error === 'AMBIGUOUS_SUBMIT');
    assert.ok(lost.length > 0, 'some submit answers were lost');
    // Every line has a result, the lost ones AMBIGUOUS_SUBMIT errors: exit 1; all solved: 0.
    assert.equal(plain.code, 1, plain.result.stderr);
    assert.equal(flagged.code, 0, flagged.result.stderr);
    assert.ok(plain.records.every((r) => r.status === 'ok' || r.error === 'AMBIGUOUS_SUBMIT'));
    assert.match(lost[0]?.message ?? '', /--resubmit-ambiguous/);
    assert.equal(
      plain.stats.acceptedSubmits,
      20,
      'each line was sent once (the lost ones were created too)',
    );
    assert.equal(plain.stats.duplicateSubmits, 0);
    assert.ok(
      flagged.records.every((r) => r.status === 'ok'),
      JSON.stringify(flagged.records.filter((r) => r.status !== 'ok')),
    );
    assert.ok(
      flagged.stats.duplicateSubmits > 0,
      'resubmitting a lost answer duplicates the task: the price of the flag',
    );
  });
});
