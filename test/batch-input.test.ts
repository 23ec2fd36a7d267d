// `captchaai batch` on an input file as editors and other tools leave them: a byte-order mark, a
// bare CR, a line that is not UTF-8, a duplicate id. Runs the installed command
// (bin/captchaai.js, so the compiled dist/: `npm run build` first) as a child process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { distinctTasks, journalCounts, type ResultRecord } from './helpers/batch.js';
import { childEnv, PROJECT_ROOT } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-input-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const BIN = join(PROJECT_ROOT, 'bin', 'captchaai.js');

function runBin(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: PROJECT_ROOT, env: childEnv(), timeout: 40_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('captchaai batch input', () => {
  test('a BOM, a bare CR, a line not in UTF-8 and a duplicate id: one result per line', async () => {
    const [t1, t2, t3, t4, t5] = distinctTasks(5, 'input').map((t) => JSON.stringify(t));
    const withId = (id: string, task = '') => `{"id":${JSON.stringify(id)},${task.slice(1)}`;
    const path = join(dir, 'mixed.jsonl');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('\uFEFF', 'utf8'),
        Buffer.from(`${withId('a1', t1)}\r\n`), // 1: after the BOM
        Buffer.from(`${t2}\r`), // 2: ends with a bare CR
        Buffer.from(`${t3}\n`), // 3
        Buffer.from('  \r\n'), // 4: blank
        Buffer.from(`${(t4 ?? '').replace('/input/', '/caf\u00e9/')}\n`, 'latin1'), // 5: not UTF-8
        Buffer.from(`${withId('a1', t5)}\n`), // 6: a1 again
        Buffer.from('\n'), // 7: blank
      ]),
    );
    const run = await runBin(['batch', path, '--sim', '--sim-speed', '50', '-q']);
    // Every line has a result, two of them INVALID_TASK: exit 1.
    assert.equal(run.code, 1, run.stderr);
    const records = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ResultRecord);
    assert.equal(records.length, 5, 'one result per non-blank physical line');
    const ids = records.map((r) => JSON.stringify(r.id)).sort();
    assert.deepEqual(ids, ['"a1"', '"a1"', '2', '3', '5']);
    assert.deepEqual(
      records.filter((r) => r.status === 'error'),
      [
        {
          id: 5,
          status: 'error',
          error: 'INVALID_TASK',
          message: 'line 5: not valid UTF-8 (save the file as UTF-8); nothing was sent',
        },
        {
          id: 'a1',
          status: 'error',
          error: 'INVALID_TASK',
          message: 'line 6: duplicate id "a1" (first on line 1)',
        },
      ],
    );
    const ok = records.filter((r) => r.status === 'ok').map((r) => JSON.stringify(r.id));
    assert.deepEqual(ok.sort(), ['"a1"', '2', '3']);
    assert.equal(journalCounts(`${path}.journal.sqlite`).written, 5);
    // A rerun resumes: nothing to do, nothing flagged again.
    const again = await runBin(['batch', path, '--sim', '--sim-speed', '50', '-q']);
    assert.equal(again.code, 1, again.stderr);
    assert.equal(again.stdout, '');
  });
});
