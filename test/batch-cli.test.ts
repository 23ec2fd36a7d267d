// `captchaai batch` end to end: a real child process, the embedded simulator or one in this
// process over loopback HTTP, and a real SQLite journal file.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  assertExactlyOnce,
  BATCH_FAST,
  distinctTasks,
  journalCounts,
  readRecords,
  writeJsonl,
} from './helpers/batch.js';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { assertNoKeyLeak, SECRET_KEY, startTestSimulator } from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const ENV = { CAPTCHAAI_KEY: SECRET_KEY };

describe('captchaai batch', { concurrency: true }, () => {
  test('the example file with --sim: one result per line, the bad line named, a summary', async () => {
    const tasks = join(dir, 'example.jsonl');
    copyFileSync(join(PROJECT_ROOT, 'examples/tasks.jsonl'), tasks);
    const inputLines = readFileSync(tasks, 'utf8').split('\n').filter(Boolean);
    const run = await runCli(['batch', tasks, '--sim', '--sim-speed', '50'], { timeoutMs: 40_000 });
    // Every line has a result, one of them an error (line 15): exit 1.
    assert.equal(run.code, 1, run.stderr);
    const records = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const ids = inputLines.map((l, i) => (JSON.parse(l) as { id?: string | number }).id ?? i + 1);
    assertExactlyOnce(records as never, ids);
    const bad = records.filter((r) => r['status'] === 'error');
    assert.equal(bad.length, 1);
    assert.deepEqual(bad[0], {
      id: 15,
      status: 'error',
      error: 'INVALID_TASK',
      message: 'line 15: userrecaptcha task is missing required parameter "googlekey"',
    });
    for (const r of records.filter((r) => r['status'] === 'ok')) {
      assert.match(String(r['taskId']), /^\d+$/);
      assert.ok(typeof r['elapsedMs'] === 'number');
      assert.ok(r['solution'] !== undefined);
    }
    assert.match(run.stderr, /30 lines read; 29 ok, 1 failed \(INVALID_TASK 1\)/);
    assert.match(run.stderr, /requests per solved task [\d.]+ \(simulator count/);
    assert.match(run.stderr, /done: every line has a result/);
    // The journal sits next to the input; a second run has nothing left to do.
    assert.deepEqual(journalCounts(`${tasks}.journal.sqlite`).written, 30);
    const again = await runCli(['batch', tasks, '--sim', '--sim-speed', '50'], {
      timeoutMs: 20_000,
    });
    // Still exit 1: the batch's line 15 has an error result, written by the first run.
    assert.equal(again.code, 1, again.stderr);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /nothing to do: all 30 lines already have results/);
    // A changed input is refused, saying the file changed (the journal is bound to all of it).
    const lines = readFileSync(tasks, 'utf8').split('\n');
    lines[2] = lines[2]?.replace('checkout', 'checkout-2') ?? '';
    writeFileSync(tasks, lines.join('\n'));
    const changed = await runCli(['batch', tasks, '--sim'], { timeoutMs: 20_000 });
    assert.equal(changed.code, 2, changed.stderr);
    assert.match(
      changed.stderr,
      /journal belongs to different input: the file changed since the journal began \([\d,]+ bytes, sha256 [0-9a-f]{8}… then, [\d,]+ bytes, sha256 [0-9a-f]{8}… now\)/,
    );
  });

  test('against a service over HTTP: --out appends (--append for a file of other results), the key is nowhere, stdin works with --journal', async () => {
    const target = await startTestSimulator({}, { threads: 5 });
    try {
      const tasks = distinctTasks(12, 'http');
      const path = join(dir, 'http.jsonl');
      writeJsonl(path, ['', ...tasks.slice(0, 6), '   ', ...tasks.slice(6)]);
      const out = join(dir, 'http.out.jsonl');
      writeFileSync(out, '{"id":"earlier","status":"ok"}\n');
      const journal = join(dir, 'http.journal.sqlite');
      const run = await runCli(
        [
          'batch',
          path,
          '--out',
          out,
          '--append',
          '--journal',
          journal,
          '--base-url',
          target.url,
          ...BATCH_FAST,
        ],
        { env: ENV },
      );
      assert.equal(run.code, 0, run.stderr);
      assertNoKeyLeak(run);
      assert.equal(run.stdout, '', 'with --out nothing goes to stdout');
      const records = readRecords(out);
      assert.equal(records[0]?.id, 'earlier', 'appended, not overwritten');
      // Blank lines are skipped but counted: the tasks sit on lines 2-7 and 9-14.
      const ids = [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14];
      assertExactlyOnce(records.slice(1), ids);
      for (const r of records.slice(1)) {
        const task = tasks[ids.indexOf(Number(r.id))];
        assert.equal(r.status, 'ok');
        assert.deepEqual(r.solution, target.sim.expectedAnswer(task ?? {}));
      }
      assert.ok(!readFileSync(journal).includes('SECRETKEY'), 'the journal holds no key');
      const stats = target.sim.stats(SECRET_KEY);
      assert.equal(stats.acceptedSubmits, 12);
      assert.equal(stats.duplicateSubmits, 0);

      const stdin = await runCli(
        [
          'batch',
          '-',
          '--journal',
          join(dir, 'stdin.sqlite'),
          '--base-url',
          target.url,
          ...BATCH_FAST,
        ],
        {
          env: ENV,
          input: `${JSON.stringify({ id: 'a', ...distinctTasks(1, 'stdin')[0] })}\n{"id":"b","method":"turnstile"}\n`,
        },
      );
      // Line 2 gets an INVALID_TASK result: exit 1.
      assert.equal(stdin.code, 1, stdin.stderr);
      const byId = new Map(
        stdin.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => [
            (JSON.parse(l) as { id: string }).id,
            JSON.parse(l) as Record<string, unknown>,
          ]),
      );
      assert.equal(byId.get('a')?.['status'], 'ok');
      assert.equal(byId.get('b')?.['error'], 'INVALID_TASK');
      assert.match(
        String(byId.get('b')?.['message']),
        /^line 2: turnstile task is missing required parameter "sitekey"/,
      );
    } finally {
      await target.close();
    }
  });

  test('usage errors name the flag and send nothing', async () => {
    const path = join(dir, 'usage.jsonl');
    writeJsonl(path, distinctTasks(1, 'usage'));
    const cases: Array<[string[], RegExp]> = [
      [['batch', '-', '--sim'], /stdin needs --journal/],
      [['batch', path, '--sim', '--window', '9-17'], /--window: expected HH:MM-HH:MM/],
      [
        ['batch', path, '--sim', '--max-concurrency', '0'],
        /--max-concurrency must be a whole number > 0/,
      ],
      [['batch', path, '--sim', '--batch-poll', 'sometimes'], /--batch-poll must be one of/],
      [
        ['batch', path, '--sim', '--retry-unsolvable', '-1'],
        /--retry-unsolvable must be a whole number >= 0/,
      ],
      [['batch', join(dir, 'missing.jsonl'), '--sim'], /cannot read .*missing\.jsonl/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });
});
