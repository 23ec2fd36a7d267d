// Ctrl-C during a batch: the first stops submitting and drains, the second ends at once; the
// journal stays consistent either way and a rerun finishes the rest without resubmitting.
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
import { SECRET_KEY, startTestSimulator } from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-signals-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const ENV = { CAPTCHAAI_KEY: SECRET_KEY };
const FAST = BATCH_FAST.filter((a) => a !== '--quiet');

describe('captchaai batch and SIGINT', { concurrency: true }, () => {
  test('first SIGINT: stop submitting, collect what is in flight, exit 130 with a summary; a rerun completes', async () => {
    const target = await startTestSimulator({ timeScale: 0.03 }, { threads: 4 });
    try {
      const input = join(dir, 'drain.jsonl');
      writeJsonl(input, distinctTasks(40, 'drain'));
      const out = join(dir, 'drain.out.jsonl');
      const args = ['batch', input, '--out', out, '--base-url', target.url, ...FAST];
      const child = spawnCli(args, { env: ENV });
      const watched = new ChildOutput(child);
      await waitUntil(() => readRecords(out).length >= 4, 20_000, 'a few results');
      child.kill('SIGINT');
      const code = await watched.exit();
      assert.equal(code, 130, watched.stderr);
      assert.match(
        watched.stderr,
        /interrupted: .*tasks not submitted.*run the same command again to continue/,
      );
      const first = readRecords(out);
      assert.ok(first.length < 40, 'stopped before the end');
      // Drained: nothing is left on the service or half-decided.
      const counts = journalCounts(`${input}.journal.sqlite`);
      assert.equal(
        counts.submitting + counts.accepted + counts.done + counts.ambiguous,
        0,
        JSON.stringify(counts),
      );
      assert.equal(counts.written, first.length);
      const accepted = target.sim.stats(SECRET_KEY).acceptedSubmits;
      assert.equal(accepted, first.length, 'every accepted task was collected, none abandoned');

      const rerun = await runCli(args, { env: ENV, timeoutMs: 40_000 });
      assert.equal(rerun.code, 0, rerun.stderr);
      assertExactlyOnce(
        readRecords(out),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      assert.equal(target.sim.stats(SECRET_KEY).duplicateSubmits, 0);
      assert.equal(target.sim.stats(SECRET_KEY).acceptedSubmits, 40);
    } finally {
      await target.close();
    }
  });

  test('second SIGINT: exit at once; the tasks in flight are collected by the rerun, not resubmitted', async () => {
    // Slow solves (a few seconds): the first SIGINT alone would wait for them.
    const target = await startTestSimulator({ timeScale: 0.2 }, { threads: 10 });
    try {
      const input = join(dir, 'twice.jsonl');
      writeJsonl(input, distinctTasks(10, 'twice'));
      const out = join(dir, 'twice.out.jsonl');
      const args = ['batch', input, '--out', out, '--base-url', target.url, ...FAST];
      const child = spawnCli(args, { env: ENV });
      const watched = new ChildOutput(child);
      await waitUntil(
        () => target.sim.stats(SECRET_KEY).acceptedSubmits >= 10,
        20_000,
        'all ten submitted',
      );
      child.kill('SIGINT');
      await sleep(200);
      const second = Date.now();
      child.kill('SIGINT');
      const code = await watched.exit();
      assert.equal(code, 130, watched.stderr);
      assert.ok(
        Date.now() - second < 2_000,
        `exited ${Date.now() - second} ms after the second SIGINT`,
      );
      assert.equal(readRecords(out).length, 0, 'nothing was solved yet');
      const counts = journalCounts(`${input}.journal.sqlite`);
      assert.equal(counts.accepted, 10, JSON.stringify(counts));

      const rerun = await runCli(args, { env: ENV, timeoutMs: 40_000 });
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.match(rerun.stderr, /10 collected without resubmitting/);
      assertExactlyOnce(
        readRecords(out),
        Array.from({ length: 10 }, (_, i) => i + 1),
      );
      assert.equal(target.sim.stats(SECRET_KEY).acceptedSubmits, 10, 'no task was submitted again');
    } finally {
      await target.close();
    }
  });
});
