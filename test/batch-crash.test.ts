// Kill -9 at random points, then resume: the journal's promises against the simulator's own
// counters. No task is accepted twice (a line killed mid-submit is left in doubt until
// --resubmit-ambiguous), no line gets two results, every line ends with one.
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

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-crash-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const ENV = { CAPTCHAAI_KEY: SECRET_KEY };

interface Scenario {
  name: string;
  seed: number;
  kills: number;
  threads: number;
  lines: number;
  slotRelease?: 'solve' | 'collect';
}

const SCENARIOS: Scenario[] = [
  { name: 'plenty of threads', seed: 11, kills: 5, threads: 12, lines: 60 },
  {
    name: 'few threads, freed on collection (tasks queue for threads)',
    seed: 29,
    kills: 5,
    threads: 4,
    lines: 40,
    slotRelease: 'collect',
  },
];

describe('captchaai batch killed with SIGKILL and resumed', { concurrency: true }, () => {
  for (const scenario of SCENARIOS) {
    test(`${scenario.name} (seed ${scenario.seed}, ${scenario.kills} kills)`, async () => {
      const target = await startTestSimulator(
        {
          timeScale: 0.01,
          seed: scenario.seed,
          ...(scenario.slotRelease ? { slotRelease: scenario.slotRelease } : {}),
        },
        { threads: scenario.threads },
      );
      try {
        const tag = `crash${scenario.seed}`;
        const tasks = distinctTasks(scenario.lines, tag);
        const bad = '{"method":"turnstile","pageurl":"https://example.com/no-sitekey"}';
        const input = join(dir, `${tag}.jsonl`);
        writeJsonl(input, [...tasks.slice(0, 7), bad, ...tasks.slice(7)]);
        const out = join(dir, `${tag}.out.jsonl`);
        // A line killed while its submit was on the wire may be on the service: the runs leave
        // it in doubt rather than resubmit it, so no task is ever sent twice; a last run with
        // --resubmit-ambiguous settles those lines.
        const base = ['batch', input, '--out', out, '--base-url', target.url, ...BATCH_FAST];
        const args = [...base, '--no-resubmit-ambiguous'];
        const random = seeded(scenario.seed);
        const delays: number[] = [];
        for (let kill = 0; kill < scenario.kills; kill++) {
          // Kill while it works: after it has got at least one more task accepted, then later still.
          const delay = Math.floor(random() * 300);
          delays.push(delay);
          await killAfterNextAccept(target, args, ENV, delay);
        }
        const final = await runCli(args, { env: ENV, timeoutMs: 40_000 });
        const journalPath = `${input}.journal.sqlite`;
        const inDoubt = journalCounts(journalPath).ambiguous;
        // Exit 1: line 8 is INVALID_TASK (whichever run wrote it); 4 while lines are in doubt.
        assert.equal(
          final.code,
          inDoubt > 0 ? 4 : 1,
          `final run (kill delays ${delays.join(', ')}): ${final.stderr}`,
        );
        assert.equal(readRecords(out).length, scenario.lines + 1 - inDoubt);
        const stats = target.sim.stats(SECRET_KEY);
        assert.equal(stats.duplicateSubmits, 0, 'no task was submitted twice');
        assert.ok(
          stats.acceptedSubmits <= scenario.lines,
          `accepted ${stats.acceptedSubmits} > ${scenario.lines} tasks`,
        );
        assert.ok(
          stats.acceptedSubmits >= scenario.lines - inDoubt,
          `accepted ${stats.acceptedSubmits} < ${scenario.lines} tasks - ${inDoubt} in doubt`,
        );
        assert.ok(stats.billedSolves <= scenario.lines);

        const settle = await runCli([...base, '--resubmit-ambiguous'], {
          env: ENV,
          timeoutMs: 40_000,
        });
        assert.equal(settle.code, 1, settle.stderr);
        const records = readRecords(out);
        const ids = Array.from({ length: scenario.lines + 1 }, (_, i) => i + 1);
        assertExactlyOnce(records, ids);
        const badRecord = records.find((r) => r.id === 8);
        assert.equal(badRecord?.error, 'INVALID_TASK');
        assert.equal(records.filter((r) => r.status !== 'ok').length, 1, 'only line 8 failed');
        assert.ok(
          target.sim.stats(SECRET_KEY).duplicateSubmits <= inDoubt,
          'only a line in doubt may have been sent twice',
        );
        for (const record of records.filter((r) => r.status === 'ok')) {
          const task = tasks[Number(record.id) - (Number(record.id) > 8 ? 2 : 1)];
          assert.deepEqual(
            record.solution,
            target.sim.expectedAnswer(task ?? {}),
            `line ${record.id}`,
          );
        }
        const counts = journalCounts(journalPath);
        assert.equal(counts.written, scenario.lines + 1, JSON.stringify(counts));
      } finally {
        await target.close();
      }
    });
  }
});
