// The packed tarball as users get it: installed by npm into a fresh directory, beside the four
// kinds of project that use it (ES modules, CommonJS, TypeScript strict with `nodenext` and with
// `bundler` resolution), each of which compiles and solves a task through it. The install builds
// nothing natively: better-sqlite3 is optional, for `captchaai batch` only, which names it when
// it is missing while every other command works without it.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Simulator } from '../src/simulator/index.js';
import { childEnv, PROJECT_ROOT } from './helpers/cli.js';
import { cjsConsumer, esmConsumer } from './helpers/consumer-program.js';
import { PAGE } from './helpers/fixtures.js';

const run = promisify(execFile);
const TSC = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TASK = { method: 'turnstile', sitekey: '0x4AAAAAAAC3DHQFLr1GavRN', pageurl: PAGE } as const;
const EXPECTED = new Simulator({ defaultAccount: null }).expectedAnswer(TASK);

/**
 * A misspelt parameter, in a task type and in a literal given to solve(): a strict project must
 * refuse to compile either (lines 4 and 7).
 */
const MISSPELT = `
import type { Solver, TurnstileTask } from 'captchaai';

export const task: TurnstileTask = { method: 'turnstile', sitekye: 'x', pageurl: 'https://a.test' };
declare const solver: Solver;

export const solved = solver.solve({ method: 'turnstile', sitekye: 'x', pageurl: 'https://a.test' });
`;

const TS_PROJECTS = {
  'ts-nodenext': { module: 'nodenext', moduleResolution: 'nodenext' },
  'ts-bundler': { module: 'esnext', moduleResolution: 'bundler' },
} as const;

function writeProject(dir: string, files: Record<string, unknown>): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
    writeFileSync(join(dir, name), text);
  }
}

/** npm install, from the cache alone where it holds everything, else with the registry's help. */
function npmInstall(dir: string, specs: string[]): void {
  const args = ['install', ...specs, '--ignore-scripts', '--no-audit', '--no-fund'];
  try {
    execFileSync('npm', [...args, '--offline'], { cwd: dir, stdio: 'pipe' });
  } catch {
    execFileSync('npm', [...args, '--prefer-offline'], { cwd: dir, stdio: 'pipe' });
  }
}

describe('consumer projects installing the packed tarball', () => {
  // One install, shared: each project is a directory of its own (its own package.json and
  // tsconfig) under the one that holds node_modules, where Node and TypeScript look for packages.
  let root = '';

  before(() => {
    // npm ci builds dist through `prepare`; a fresh checkout without it builds here.
    if (!existsSync(join(PROJECT_ROOT, 'dist', 'index.js'))) {
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    }
    root = mkdtempSync(join(tmpdir(), 'captchaai-consumers-'));
    const packed = execFileSync(
      'npm',
      ['pack', '--ignore-scripts', '--silent', '--pack-destination', root],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    ).trim();
    const repo = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    writeFileSync(join(root, 'package.json'), '{"name":"consumers","private":true}\n');
    // A TypeScript project for Node has @types/node; the version the package is built with.
    const typesNode = `@types/node@${repo.devDependencies['@types/node']}`;
    npmInstall(root, [join(root, packed), typesNode]);

    writeProject(join(root, 'esm'), {
      'package.json': { name: 'esm', private: true },
      'main.mjs': esmConsumer(TASK),
    });
    writeProject(join(root, 'cjs'), {
      'package.json': { name: 'cjs', private: true },
      'main.cjs': cjsConsumer(TASK),
    });
    for (const [name, resolution] of Object.entries(TS_PROJECTS)) {
      writeProject(join(root, name), {
        'package.json': { name, private: true, type: 'module' },
        'tsconfig.json': {
          compilerOptions: {
            ...resolution,
            strict: true,
            target: 'es2022',
            types: ['node'],
            rootDir: 'src',
            outDir: 'out',
          },
          include: ['src'],
        },
        'src/main.ts': esmConsumer(TASK, {
          imports: ['type TurnstileTask'],
          taskType: 'TurnstileTask',
        }),
        'tsconfig.misspelt.json': {
          extends: './tsconfig.json',
          compilerOptions: { noEmit: true, rootDir: '.' },
          include: ['misspelt.ts'],
        },
        'misspelt.ts': MISSPELT,
      });
    }
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  test('the install builds nothing natively: no better-sqlite3', () => {
    assert.ok(existsSync(join(root, 'node_modules', 'captchaai', 'dist', 'index.js')));
    assert.equal(existsSync(join(root, 'node_modules', 'better-sqlite3')), false);
  });

  test('an ES module project imports captchaai and captchaai/simulator and solves a task', async () => {
    const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: join(root, 'esm') });
    assert.deepEqual(JSON.parse(stdout), { solution: EXPECTED });
  });

  test('a CommonJS project requires them and solves a task', async () => {
    const { stdout } = await run(process.execPath, ['main.cjs'], { cwd: join(root, 'cjs') });
    assert.deepEqual(JSON.parse(stdout), { solution: EXPECTED });
  });

  for (const name of Object.keys(TS_PROJECTS)) {
    test(`a strict TypeScript project (${name}) compiles, solves a task, and refuses a misspelt parameter`, async () => {
      const dir = join(root, name);
      await run(process.execPath, [TSC, '-p', dir]);
      const { stdout } = await run(process.execPath, ['out/main.js'], { cwd: dir });
      assert.deepEqual(JSON.parse(stdout), { solution: EXPECTED });

      const misspelt = await run(process.execPath, [
        TSC,
        '-p',
        join(dir, 'tsconfig.misspelt.json'),
      ]).then(
        () => assert.fail('a misspelt task parameter compiled'),
        (error: { code?: number; stdout?: string }) => error,
      );
      assert.equal(misspelt.code, 2);
      assert.match(misspelt.stdout ?? '', /misspelt\.ts\(4,\d+\): error TS\d+: .*sitekye/);
      // solve()'s error names the overloads first, then the misspelt parameter.
      assert.match(misspelt.stdout ?? '', /misspelt\.ts\(7,\d+\): error TS\d+: [^]*?sitekye/);
    });
  }

  test('the installed CLI solves without better-sqlite3, and `batch` says how to install it', async () => {
    const cli = join(root, 'node_modules', 'captchaai', 'bin', 'captchaai.js');
    const options = { cwd: root, env: childEnv() };
    const task = ['--method', 'turnstile', '--sitekey', TASK.sitekey, '--pageurl', TASK.pageurl];
    const solved = await run(process.execPath, [cli, 'solve', '--sim', ...task], options);
    assert.equal(solved.stdout.trim(), EXPECTED);

    writeFileSync(join(root, 'tasks.jsonl'), `${JSON.stringify(TASK)}\n`);
    const batch = await run(process.execPath, [cli, 'batch', 'tasks.jsonl', '--sim'], options).then(
      () => assert.fail('batch ran without better-sqlite3'),
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    assert.equal(batch.code, 2);
    assert.equal(batch.stdout, '');
    assert.match(batch.stderr ?? '', /needs the optional package better-sqlite3/);
    assert.match(batch.stderr ?? '', /npm install better-sqlite3\b/);
    assert.match(batch.stderr ?? '', /npm install -g captchaai better-sqlite3/);
    assert.equal(existsSync(join(root, 'tasks.jsonl.journal.sqlite')), false);
  });
});
