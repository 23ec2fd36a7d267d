// A method the client does not know: refused unsent (exit 2, naming --allow-unknown-method), or
// sent as it is with the flag (the simulator, which does not know it either, answers
// ERROR_BAD_PARAMETERS: proof that it went out).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { inParallel, runCli } from './helpers/cli.js';
import { GOOGLEKEY, PAGE } from './helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-unknown-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NEW = ['--method', 'newcaptcha', '--sitekey', 'S1', '--pageurl', PAGE];
const LINES = [
  { id: 'new', method: 'newcaptcha', sitekey: 'S1', pageurl: PAGE },
  { id: 'known', method: 'userrecaptcha', googlekey: GOOGLEKEY, pageurl: PAGE },
];

function results(path: string): Record<string, { status: string; error?: string }> {
  const out: Record<string, { status: string; error?: string }> = {};
  for (const line of readFileSync(path, 'utf8').trim().split('\n')) {
    const record = JSON.parse(line) as { id: string; status: string; error?: string };
    out[record.id] = record;
  }
  return out;
}

describe('--allow-unknown-method', { concurrency: true }, () => {
  test('solve: refused unsent without it (exit 2 naming the flag), sent with it', async () => {
    const [refused, sent] = await inParallel(2, [
      () => runCli(['solve', '--sim', ...NEW]),
      () => runCli(['solve', '--sim', '--allow-unknown-method', ...NEW]),
    ]);
    assert.equal(refused?.code, 2, refused?.stderr);
    assert.match(refused?.stderr ?? '', /unknown task method "newcaptcha"/);
    assert.match(refused?.stderr ?? '', /--allow-unknown-method/);
    assert.equal(sent?.code, 1, sent?.stderr);
    assert.match(sent?.stderr ?? '', /ERROR_BAD_PARAMETERS/);
  });

  test('batch: one error record for the unknown line without it; with it the line is sent', async () => {
    const tasks = join(dir, 'tasks.jsonl');
    writeFileSync(tasks, LINES.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const plain = join(dir, 'plain.jsonl');
    const allowed = join(dir, 'allowed.jsonl');
    const [a, b] = await inParallel(2, [
      () => runCli(['batch', tasks, '--sim', '--sim-speed', '200', '--quiet', '--out', plain]),
      () =>
        runCli([
          'batch',
          tasks,
          '--sim',
          '--sim-speed',
          '200',
          '--quiet',
          '--out',
          allowed,
          '--journal',
          join(dir, 'allowed.journal.sqlite'),
          '--allow-unknown-method',
        ]),
    ]);
    assert.equal(a?.code, 1, a?.stderr);
    assert.equal(b?.code, 1, b?.stderr);
    const without = results(plain);
    assert.equal(without.new?.error, 'INVALID_TASK');
    assert.equal(without.known?.status, 'ok');
    const withFlag = results(allowed);
    assert.equal(withFlag.new?.error, 'ERROR_BAD_PARAMETERS');
    assert.equal(withFlag.known?.status, 'ok');
  });
});
