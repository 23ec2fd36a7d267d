// The batch's promises under everything at once: kill -9 at random points (mid-submit, mid-poll,
// between an answer and its journal write) while 3 % of requests get an HTML 502 page, half of
// them after the service handled the request (an answer lost). On CaptchaAI no line may be left
// in doubt; on 2captcha no task may be submitted twice. On both: no line lost, none wrong, none
// written twice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  assertExactlyOnce,
  BATCH_FAST,
  distinctTasks,
  journalCounts,
  readRecords,
  seeded,
  killAfterNextAccept,
  writeJsonl,
} from './helpers/batch.js';
import { runCli } from './helpers/cli.js';
import { SECRET_KEY, startTestSimulator } from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-kill-matrix-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const ENV = { CAPTCHAAI_KEY: SECRET_KEY };
const LINES = 40;
const KILLS = 4;

describe('batch: kill -9 and lost answers together', { concurrency: true }, () => {
  for (const profile of ['captchaai', '2captcha'] as const) {
    test(`${profile} profile`, async () => {
      const seed = profile === 'captchaai' ? 41 : 43;
      const target = await startTestSimulator(
        {
          profile,
          timeScale: 0.01,
          seed,
          faults: { html502: 0.03, truncatedJson: 0, reset: 0, afterProcessing: 0.5 },
        },
        { threads: 8 },
      );
      try {
        const tasks = distinctTasks(LINES, `matrix-${profile}`);
        const input = join(dir, `${profile}.jsonl`);
        writeJsonl(input, tasks);
        const out = join(dir, `${profile}.out.jsonl`);
        const args = ['batch', input, '--out', out, '--base-url', target.url, '--profile', profile];
        const run = [...args, ...BATCH_FAST, '--max-attempts', '10'];
        const random = seeded(seed);
        for (let kill = 0; kill < KILLS; kill++) {
          await killAfterNextAccept(target, run, ENV, Math.floor(random() * 400));
        }
        const final = await runCli(run, { env: ENV, timeoutMs: 60_000 });
        const inDoubt = journalCounts(`${input}.journal.sqlite`).ambiguous;
        if (profile === 'captchaai') {
          // Lost answers are resubmitted: every line ends with a result in this run.
          assert.equal(final.code, 0, final.stderr);
          assert.equal(inDoubt, 0);
        } else {
          // Nothing is sent twice: lines whose submit answer was lost wait, in doubt.
          assert.equal(final.code, inDoubt > 0 ? 4 : 0, final.stderr);
          assert.equal(target.sim.stats(SECRET_KEY).duplicateSubmits, 0, 'no task submitted twice');
          assert.equal(readRecords(out).length, LINES - inDoubt);
          if (inDoubt > 0) {
            const settle = await runCli([...run, '--resubmit-ambiguous'], {
              env: ENV,
              timeoutMs: 60_000,
            });
            assert.equal(settle.code, 0, settle.stderr);
          }
        }
        const records = readRecords(out);
        assertExactlyOnce(
          records,
          tasks.map((_, i) => i + 1),
        );
        for (const record of records) {
          assert.equal(record.status, 'ok', JSON.stringify(record));
          assert.deepEqual(
            record.solution,
            target.sim.expectedAnswer(tasks[Number(record.id) - 1] ?? {}),
            `line ${record.id}`,
          );
        }
        const stats = target.sim.stats(SECRET_KEY);
        assert.ok(stats.faults.html502 > 0, 'faults were injected');
      } finally {
        await target.close();
      }
    });
  }
});
