// `captchaai solve` input forms (flags, a JSON argument, JSON on stdin, a file path in JSON)
// and output forms (a string, an object as JSON, progress on stderr).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from './helpers/cli.js';
import { FAST, PAGE, taskFlags } from './helpers/fixtures.js';
import { makePng } from './helpers/png.js';
import {
  assertNoKeyLeak,
  SECRET_KEY,
  startTestSimulator,
  type TestSimulator,
} from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-cli-input-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const png = makePng(24, 12, 5);
const pngPath = join(dir, 'captcha.png');
writeFileSync(pngPath, png);

describe('task input and output forms', { concurrency: 3 }, () => {
  let target: TestSimulator;
  before(async () => {
    target = await startTestSimulator();
  });
  after(async () => {
    await target.close();
  });

  const turnstile = { method: 'turnstile', sitekey: '0x4AAAAAAAC3DHQFLr1GavRN', pageurl: PAGE };
  const geetest = {
    method: 'geetest',
    gt: '022397c99c9f646f6477822485f30404',
    challenge: 'c1',
    pageurl: PAGE,
  };

  function base(): string[] {
    return ['--base-url', target.url, '--key', SECRET_KEY, ...FAST];
  }

  test('a string answer is printed as the only stdout line; progress goes to stderr', async () => {
    const run = await runCli(['solve', ...taskFlags(turnstile), ...base()]);
    assertNoKeyLeak(run);
    assert.equal(run.code, 0, run.stderr);
    const expected = target.sim.expectedAnswer(turnstile);
    assert.equal(typeof expected, 'string');
    assert.equal(run.stdout, `${expected as string}\n`);
    assert.match(run.stderr, /submitted turnstile task \d+/);
  });

  test('an object answer is printed as JSON', async () => {
    const run = await runCli(['solve', ...taskFlags(geetest), ...base(), '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), target.sim.expectedAnswer(geetest));
    assert.equal(run.stderr, '');
  });

  test('a parameter flag near an option (--timout): sent, with a warning naming the option', async () => {
    const run = await runCli(['solve', ...taskFlags(turnstile), '--timout', '1000', ...base()]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), target.sim.expectedAnswer(turnstile));
    assert.match(
      run.stderr,
      /^warning: --timout is sent as a task parameter; did you mean --timeout\?$/m,
    );
  });

  test('a valueless flag near a switch (--jsn): exit 2, unknown option, did you mean --json', async () => {
    const run = await runCli(['solve', ...taskFlags(turnstile), ...base(), '--jsn']);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'error: USAGE: unknown option --jsn (did you mean --json?)\n');
  });

  test('a JSON task as the argument, with a parameter flag after it', async () => {
    const task = { method: 'turnstile', sitekey: 'other-site' };
    const run = await runCli(['solve', JSON.stringify(task), '--pageurl', PAGE, ...base()]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), target.sim.expectedAnswer({ ...task, pageurl: PAGE }));
  });

  test('a JSON task piped on stdin (no --method)', async () => {
    const run = await runCli(['solve', ...base()], { input: JSON.stringify(geetest) });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), target.sim.expectedAnswer(geetest));
  });

  test('a JSON task read from stdin with -', async () => {
    const run = await runCli(['solve', '-', ...base()], { input: JSON.stringify(turnstile) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), target.sim.expectedAnswer(turnstile));
  });

  test('a JSON post task naming its image by path', async () => {
    const run = await runCli([
      'solve',
      JSON.stringify({ method: 'post', file: pngPath }),
      ...base(),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), target.sim.expectedAnswer({ method: 'post' }, png));
  });
});
