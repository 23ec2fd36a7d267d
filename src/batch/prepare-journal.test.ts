import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { accountFingerprint } from './account-fingerprint.js';
import { InputChangedError } from './input-check.js';
import {
  AccountChangedError,
  EMBEDDED_SIMULATOR,
  prepareJournal,
  ServiceChangedError,
  type PrepareJournalInput,
} from './prepare-journal.js';
import { hashLine } from './task-line.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-prepare-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const LINES = [
  '{"method":"turnstile","sitekey":"a","pageurl":"https://e.com/1"}',
  '{"method":"turnstile","sitekey":"b","pageurl":"https://e.com/2"}',
];

function setup(lines = LINES) {
  const n = ++files;
  const tasks = join(dir, `t${n}.jsonl`);
  writeFileSync(tasks, `${lines.join('\n')}\n`);
  const input: PrepareJournalInput = {
    path: join(dir, `j${n}.sqlite`),
    synchronous: 'normal',
    service: 'https://ocr.captchaai.com',
    account: accountFingerprint('k'.repeat(32)),
    serviceForgets: false,
    tasks,
    now: 1,
  };
  return { tasks, input };
}

/** A journal whose first line was accepted by the service. */
async function withAcceptedLine(input: PrepareJournalInput): Promise<void> {
  const { journal } = await prepareJournal(input);
  journal.submitting({ line: 1, hash: hashLine(LINES[0] ?? '') }, 'turnstile', 1);
  journal.accepted(1, '2122988149', 1, 1);
  journal.close();
}

test('tasks on the service under another key: refused, naming both fingerprints, never a key', async () => {
  const { input } = setup();
  await withAcceptedLine(input);
  const other = accountFingerprint('z'.repeat(32));
  await assert.rejects(prepareJournal({ ...input, account: other }), (error: unknown) => {
    assert.ok(error instanceof AccountChangedError);
    assert.match(error.message, new RegExp(`${input.account}.*|${other}`));
    assert.doesNotMatch(error.message, /kkkk|zzzz/);
    return true;
  });
  // The same key resumes.
  const { journal } = await prepareJournal(input);
  assert.equal(journal.get(1)?.taskId, '2122988149');
  journal.close();
});

test('the whole input is bound: a file changed past the lines read so far is refused', async () => {
  const { tasks, input } = setup();
  await withAcceptedLine(input);
  // Line 1, the only one the journal holds, is unchanged; the tail is not.
  writeFileSync(
    tasks,
    `${LINES[0]}\n{"method":"turnstile","sitekey":"c","pageurl":"https://e.com/3"}\n`,
  );
  await assert.rejects(prepareJournal(input), (error: unknown) => {
    assert.ok(error instanceof InputChangedError);
    assert.match(error.message, /changed since the journal began/);
    return true;
  });
});

test('a service that forgets (a new embedded simulator): its tasks are queued again, not polled', async () => {
  const { input } = setup();
  await withAcceptedLine({ ...input, serviceForgets: true });
  const { journal, requeued } = await prepareJournal({ ...input, serviceForgets: true, now: 2 });
  assert.equal(requeued, 1);
  assert.equal(journal.get(1)?.state, 'queued');
  assert.equal(journal.get(1)?.taskId, undefined);
  journal.close();
  // A real service keeps its tasks: they are polled.
  const kept = setup();
  await withAcceptedLine(kept.input);
  const again = await prepareJournal(kept.input);
  assert.equal(again.requeued, 0);
  assert.equal(again.journal.get(1)?.state, 'accepted');
  again.journal.close();
});

test('a journal of the embedded simulator never serves a real run, nor the other way round', async () => {
  const { input } = setup();
  const sim = { ...input, service: EMBEDDED_SIMULATOR, serviceForgets: true };
  const { journal } = await prepareJournal(sim);
  journal.done({ line: 1, hash: hashLine(LINES[0] ?? '') }, '{"id":1,"status":"ok"}', 1);
  journal.written([1], undefined, 1);
  journal.close();
  await assert.rejects(prepareJournal(input), (error: unknown) => {
    assert.ok(error instanceof ServiceChangedError);
    assert.match(error.message, /holds results from the embedded simulator/);
    return true;
  });
  // Another real service with nothing on it is allowed, as before.
  const real = setup();
  (await prepareJournal(real.input)).journal.close();
  const moved = await prepareJournal({ ...real.input, service: 'https://2captcha.com' });
  moved.journal.close();
});
