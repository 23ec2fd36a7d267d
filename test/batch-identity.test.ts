// A batch journal belongs to one service, one account and one input. The embedded simulator is
// new on every run: tasks an earlier run had on it are submitted again, never polled by their old
// ids (a new simulator gives those ids to other tasks, whose answers would be written as ok).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Simulator } from '../src/simulator/index.js';
import {
  assertExactlyOnce,
  distinctTasks,
  journalCounts,
  killWhenWritten,
  readRecords,
  writeJsonl,
} from './helpers/batch.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-identity-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('--sim killed with tasks accepted, then resumed: they are submitted again, every answer is its own', async () => {
  const tasks = distinctTasks(24, 'identity');
  const input = join(dir, 'tasks.jsonl');
  writeJsonl(input, tasks);
  const journal = join(dir, 'tasks.sqlite');
  const out = join(dir, 'out.jsonl');
  const args = ['batch', input, '--sim', '--journal', journal, '--out', out, '--quiet'];
  // Once answers come, more tasks are on the service.
  await killWhenWritten(args, out, 2);
  const heldByTheFirst = journalCounts(journal).accepted;
  assert.ok(heldByTheFirst >= 1, `${heldByTheFirst} accepted when killed`);

  const again = await runCli(
    args.filter((a) => a !== '--quiet'),
    { timeoutMs: 40_000 },
  );
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stderr,
    /the embedded simulator is new on every run .*: \d+ lines are submitted again/,
  );
  const records = readRecords(out);
  assertExactlyOnce(
    records,
    tasks.map((_, i) => i + 1),
  );
  // The embedded simulator's answers are functions of the task alone: each line's own answer.
  const reference = new Simulator();
  for (const record of records) {
    assert.equal(record.status, 'ok', JSON.stringify(record));
    assert.deepEqual(
      record.solution,
      reference.expectedAnswer(tasks[Number(record.id) - 1] ?? {}),
      `line ${record.id}`,
    );
  }
});
