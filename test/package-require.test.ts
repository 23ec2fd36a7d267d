// `require('captchaai')` from a CommonJS consumer: the package's exports map and its CommonJS
// entry files (cjs/), with the package linked into a fresh project's node_modules as npm would
// install it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Simulator } from '../src/simulator/index.js';
import { PROJECT_ROOT } from './helpers/cli.js';
import { cjsConsumer } from './helpers/consumer-program.js';
import { GOOGLEKEY, PAGE } from './helpers/fixtures.js';

const TASK = { method: 'userrecaptcha', googlekey: GOOGLEKEY, pageurl: PAGE };

/** A CommonJS program that solves one task against the simulator, both required. */
const CONSUMER = cjsConsumer(TASK, {
  imports: ['ApiError'],
  print: { apiError: 'typeof ApiError' },
});

describe('a CommonJS consumer', () => {
  let project = '';

  before(() => {
    // npm ci builds dist through `prepare`; a fresh checkout without it builds here.
    if (!existsSync(join(PROJECT_ROOT, 'dist', 'index.js'))) {
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    }
    project = mkdtempSync(join(tmpdir(), 'captchaai-cjs-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(PROJECT_ROOT, join(project, 'node_modules', 'captchaai'), 'dir');
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}\n');
    writeFileSync(join(project, 'consumer.js'), CONSUMER);
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  test("require('captchaai') and require('captchaai/simulator') work and solve a task", () => {
    const run = spawnSync(process.execPath, ['consumer.js'], { cwd: project, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const expected = new Simulator({ defaultAccount: null }).expectedAnswer(TASK);
    assert.deepEqual(JSON.parse(run.stdout), { solution: expected, apiError: 'function' });
  });

  test('where Node cannot require() an ES module, the error says what to do instead', () => {
    const run = spawnSync(process.execPath, ['--no-experimental-require-module', 'consumer.js'], {
      cwd: project,
      encoding: 'utf8',
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /captchaai is an ES module, and Node v[\d.]+ cannot require\(\) it/);
    assert.match(run.stderr, /await import\('captchaai'\)/);
    assert.doesNotMatch(run.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
