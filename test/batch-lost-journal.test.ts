// A journal that is new, or lost its latest state, must not resubmit lines whose results the
// --out file already holds: it would bill them again and write every one of them twice.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { distinctTasks, killWhenWritten, readRecords, writeJsonl } from './helpers/batch.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-lost-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('a new journal with an --out that already holds results: exit 2 naming --out, nothing sent', async () => {
  const input = join(dir, 'a.jsonl');
  writeJsonl(input, distinctTasks(6, 'lost-a'));
  const out = join(dir, 'a.out.jsonl');
  const first = await runCli([
    'batch',
    input,
    '--sim',
    '--journal',
    join(dir, 'a1.sqlite'),
    '--out',
    out,
    '-q',
  ]);
  assert.equal(first.code, 0, first.stderr);
  const second = await runCli([
    'batch',
    input,
    '--sim',
    '--journal',
    join(dir, 'a2.sqlite'),
    '--out',
    out,
  ]);
  assert.equal(second.code, 2, second.stderr);
  assert.match(
    second.stderr,
    /--out: .*a\.out\.jsonl already holds .* results that this journal did not write/,
  );
  assert.doesNotMatch(second.stderr, /submitted \w+ task/);
  assert.equal(readRecords(out).length, 6, 'nothing was appended');
});

test('killed, then its -wal file deleted: the rerun refuses instead of submitting again', async () => {
  const input = join(dir, 'b.jsonl');
  writeJsonl(input, distinctTasks(30, 'lost-b'));
  const out = join(dir, 'b.out.jsonl');
  const journal = join(dir, 'b.sqlite');
  const args = ['batch', input, '--sim', '--journal', journal, '--out', out, '-q'];
  await killWhenWritten(args, out, 3);
  assert.ok(existsSync(`${journal}-wal`), "the journal's latest state sits in its -wal file");
  rmSync(`${journal}-wal`);
  const before = readRecords(out).length;
  const again = await runCli(args);
  assert.equal(again.code, 2, again.stderr);
  assert.match(again.stderr, /--out: /);
  assert.equal(readRecords(out).length, before, 'nothing was appended');
});

test("--replay prints a finished batch's results again, in line order; nothing sent, --out untouched", async () => {
  const input = join(dir, 'c.jsonl');
  const tasks = distinctTasks(5, 'replay');
  writeJsonl(input, [...tasks, '{"method":"turnstile"}']);
  const out = join(dir, 'c.out.jsonl');
  const journal = join(dir, 'c.sqlite');
  const first = await runCli(['batch', input, '--sim', '--journal', journal, '--out', out, '-q']);
  assert.equal(first.code, 1, first.stderr);
  const written = readRecords(out);
  const replayed = await runCli(['batch', input, '--sim', '--journal', journal, '--replay']);
  assert.equal(replayed.code, 1, replayed.stderr);
  assert.match(replayed.stderr, /replayed 6 results .* \(1 error\)/);
  assert.doesNotMatch(replayed.stderr, /submitted \w+ task/);
  const lines = replayed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: number });
  assert.deepEqual(
    lines.map((r) => r.id),
    [1, 2, 3, 4, 5, 6],
  );
  assert.deepEqual(
    [...lines].sort((a, b) => a.id - b.id),
    [...written].sort((a, b) => Number(a.id) - Number(b.id)),
  );
  assert.equal(readRecords(out).length, 6, '--out untouched');
  const both = await runCli([
    'batch',
    input,
    '--sim',
    '--journal',
    journal,
    '--replay',
    '--out',
    out,
  ]);
  assert.equal(both.code, 2, both.stderr);
  assert.match(both.stderr, /--replay prints to stdout/);
});
