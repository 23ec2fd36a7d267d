// What `npm pack` ships: the compiled library and CLI with their licence and changelog, no test
// code, no source maps pointing at sources it does not ship, and no import of a file left out;
// and what loading it loads: the CLI's packages only for the CLI, better-sqlite3 only for a
// journal.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');

function ensureBuilt(): void {
  // npm ci builds dist through `prepare`; a fresh checkout without it builds here.
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
}

function packedFiles(): string[] {
  ensureBuilt();
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

/** The packages `entry` loads as it is imported: its static imports, followed through dist. */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      const isStatic = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement);
      const spec = isStatic ? statement.moduleSpecifier : undefined;
      if (!spec || !ts.isStringLiteral(spec)) continue;
      if (spec.text.startsWith('.')) visit(join(dirname(file), spec.text));
      else if (!spec.text.startsWith('node:')) packages.add(spec.text);
    }
  };
  visit(join(ROOT, entry));
  return packages;
}

test('the library loads none of the CLI packages, and the CLI loads better-sqlite3 only for a journal', () => {
  ensureBuilt();
  for (const entry of ['dist/index.js', 'dist/simulator/index.js']) {
    const loaded = packagesLoadedBy(entry);
    for (const cliOnly of ['commander', 'cli-progress', 'better-sqlite3']) {
      assert.ok(!loaded.has(cliOnly), `${entry} loads ${cliOnly}`);
    }
  }
  const cli = packagesLoadedBy('bin/captchaai.js');
  assert.ok(cli.has('commander'), 'the graph is followed into the CLI');
  assert.ok(!cli.has('better-sqlite3'), 'the CLI loads better-sqlite3 before a journal is opened');
});

test('better-sqlite3 is an optional peer, so installing the package builds nothing natively', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };
  assert.equal(manifest.dependencies['better-sqlite3'], undefined);
  assert.ok(manifest.peerDependencies?.['better-sqlite3']);
  assert.equal(manifest.peerDependenciesMeta?.['better-sqlite3']?.optional, true);
});
