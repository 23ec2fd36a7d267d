// The README's examples run as printed (against the embedded simulator instead of a key).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from './helpers/cli.js';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

test('the README image example: the image ships in examples/ and solves as printed', async () => {
  const line = README.split('\n').find((l) =>
    l.startsWith('captchaai solve --method post --file '),
  );
  assert.ok(line, 'the README has the image example');
  const args = (line.split('#')[0] ?? '').trim().split(/\s+/).slice(1);
  assert.ok(args.includes('examples/captcha.png'), line);
  const run = await runCli([...args, '--sim']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { solution?: unknown; taskId?: unknown };
  assert.match(String(result.solution), /^\d+$/, 'a numeric answer (--numeric 1)');
  assert.match(String(result.taskId), /^\d+$/);
});
