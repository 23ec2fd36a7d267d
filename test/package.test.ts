// What `npm pack` ships: the compiled library and CLI with their licence and changelog, no test
// code, no source maps pointing at sources it does not ship, and no import of a file left out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..');

function packedFiles(): string[] {
  // npm ci builds dist through `prepare`; a fresh checkout without it builds here.
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const [pack] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  assert.ok(pack);
  return pack.files.map((f) => f.path);
}

test('the package ships the library, CLI, licence and changelog, and no test code or source maps', () => {
  const files = packedFiles();
  for (const needed of [
    'LICENSE',
    'CHANGELOG.md',
    'README.md',
    'package.json',
    'bin/captchaai.js',
    'dist/index.js',
    'dist/index.d.ts',
    'cjs/index.cjs',
    'cjs/simulator.cjs',
    'cjs/load.cjs',
    'dist/simulator/index.js',
    'dist/cli/main.js',
  ]) {
    assert.ok(files.includes(needed), `${needed} is shipped`);
  }
  assert.deepEqual(
    files.filter((f) => /\.test\.|\.test-helper\.|\.map$/.test(f)),
    [],
  );
  const shipped = new Set(files);
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    assert.ok(!/from ['"]node:test['"]/.test(text), `${file} imports node:test`);
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = normalize(join(dirname(file), spec as string));
      assert.ok(shipped.has(target), `${file} imports ${spec as string}, which is not shipped`);
    }
  }
});
