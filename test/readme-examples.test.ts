// The README's examples run as printed (against the embedded simulator instead of a key).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { childEnv, PROJECT_ROOT, runCli } from './helpers/cli.js';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const TSC = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const run = promisify(execFile);

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

/** The body of the first ```ts block under `heading`. */
function tsBlockUnder(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `the README has a "${heading}" section`);
  const block = /\n```ts\n([\s\S]*?)\n```\n/.exec(README.slice(start));
  assert.ok(block, `the "${heading}" section has a ts code block`);
  return block[1] ?? '';
}

test(
  'the README simulator example compiles against the built package and solves in both forms',
  { timeout: 120_000 },
  async (t) => {
    const code = tsBlockUnder('## Testing with the simulator');
    // Inside the package, so `captchaai` and `captchaai/simulator` resolve as for a user: to the
    // built package through its exports.
    const dir = mkdtempSync(join(PROJECT_ROOT, 'test', '.readme-example-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'example.mts');
    // The block as printed, then one line to report what it got.
    const report =
      'console.log(JSON.stringify({ virtual: r.solution, answer: answer.solution, ' +
      'expected: sim.expectedAnswer(task as unknown as Record<string, string>) }));';
    writeFileSync(file, `${code}\n${report}\n`);
    const strict = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext'];
    await run(process.execPath, [TSC, ...strict, '--types', 'node', file], { cwd: PROJECT_ROOT });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
      cwd: PROJECT_ROOT,
      env: childEnv(),
      timeout: 90_000,
    });
    const printed = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
    assert.equal(typeof printed['expected'], 'string');
    assert.equal(printed['virtual'], printed['expected'], 'the virtual-time solve');
    assert.equal(printed['answer'], printed['expected'], 'the solve over HTTP');
  },
);

/** The README paragraph that starts with `opening`, on one line. */
function paragraph(opening: string): string {
  const found = README.split(/\n\s*\n/).find((p) => p.startsWith(opening));
  assert.ok(found, `the README has the paragraph "${opening} ..."`);
  return found.replace(/\s+/g, ' ');
}

test(
  'the README typed-tasks paragraph: what the compile check covers, and what the types need',
  { timeout: 120_000 },
  async (t) => {
    const text = paragraph('In TypeScript the tasks are typed');
    assert.match(text, /object literal written in the call/);
    assert.match(text, /const t: TurnstileTask = /);
    assert.match(text, /inferred type .* not checked for extra properties/);
    assert.match(text, /`@types\/node`.*`skipLibCheck`/);
    // What it says holds: the literal and the annotated variable are refused (lines 3 and 4),
    // the inferred variable compiles, and nothing else is reported.
    const dir = mkdtempSync(join(PROJECT_ROOT, 'test', '.readme-types-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'tasks.mts');
    writeFileSync(
      file,
      [
        "import type { Solver, TurnstileTask } from 'captchaai';",
        'declare const solver: Solver;',
        "void solver.solve({ method: 'turnstile', sitekey: 'S', pageurl: 'u', proxytipe: 'x' });",
        "export const t: TurnstileTask = { method: 'turnstile', sitekey: 'S', pageurl: 'u', proxytipe: 'x' };",
        "const inferred = { method: 'turnstile', sitekey: 'S', pageurl: 'u', proxytipe: 'x' } as const;",
        'void solver.solve(inferred);',
        '',
      ].join('\n'),
    );
    const strict = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext'];
    const failed = await run(process.execPath, [TSC, ...strict, '--types', 'node', file], {
      cwd: PROJECT_ROOT,
    }).then(
      () => assert.fail('the misspelt parameters compiled'),
      (error: { stdout: string }) => error.stdout,
    );
    const lines = [...failed.matchAll(/tasks\.mts\((\d+),\d+\): error/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(lines)], ['3', '4'], failed);
  },
);
