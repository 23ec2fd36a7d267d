// Kill -9 at random points, then resume: the journal's promises against the simulator's own
// counters. No task is accepted twice, no line gets two results, every line ends with one.
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
  seeded,
  waitUntil,
  writeJsonl,
} from './helpers/batch.js';
import { ChildOutput, runCli, spawnCli } from './helpers/cli.js';
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
        const args = ['batch', input, '--out', out, '--base-url', target.url, ...BATCH_FAST];
        const random = seeded(scenario.seed);
        const delays: number[] = [];
        for (let kill = 0; kill < scenario.kills; kill++) {
          const before = target.sim.stats(SECRET_KEY).acceptedSubmits;
          const child = spawnCli(args, { env: ENV });
          const watched = new ChildOutput(child);
          // Kill while it works: after it has got at least one more task accepted, then later still.
          await waitUntil(
            () => target.sim.stats(SECRET_KEY).acceptedSubmits > before || child.exitCode !== null,
            15_000,
            'the child to submit',
          );
          const delay = Math.floor(random() * 300);
          delays.push(delay);
          await sleep(delay);
          child.kill('SIGKILL');
          await watched.exit();
        }
        const final = await runCli(args, { env: ENV, timeoutMs: 40_000 });
        // Exit 1: line 8 is INVALID_TASK (whichever run wrote it).
        assert.equal(
          final.code,
          1,
          `final run (kill delays ${delays.join(', ')}): ${final.stderr}`,
        );

        const records = readRecords(out);
        const ids = Array.from({ length: scenario.lines + 1 }, (_, i) => i + 1);
        assertExactlyOnce(records, ids);
        const badRecord = records.find((r) => r.id === 8);
        assert.equal(badRecord?.error, 'INVALID_TASK');
        const ambiguous = records.filter((r) => r.error === 'AMBIGUOUS_SUBMIT').length;
        const stats = target.sim.stats(SECRET_KEY);
        assert.equal(stats.duplicateSubmits, 0, 'no task was submitted twice');
        assert.ok(
          stats.acceptedSubmits <= scenario.lines,
          `accepted ${stats.acceptedSubmits} > ${scenario.lines} tasks`,
        );
        assert.ok(
          stats.acceptedSubmits >= scenario.lines - ambiguous,
          `accepted ${stats.acceptedSubmits} < ${scenario.lines} tasks - ${ambiguous} ambiguous`,
        );
        assert.ok(stats.billedSolves <= scenario.lines);
        for (const record of records.filter((r) => r.status === 'ok')) {
          const task = tasks[Number(record.id) - (Number(record.id) > 8 ? 2 : 1)];
          assert.deepEqual(
            record.solution,
            target.sim.expectedAnswer(task ?? {}),
            `line ${record.id}`,
          );
        }
        const counts = journalCounts(`${input}.journal.sqlite`);
        assert.equal(counts.written, scenario.lines + 1, JSON.stringify(counts));
      } finally {
        await target.close();
      }
    });
  }
});
