// The code's comments cite the project's own documents only: every citation of the wire protocol
// names a section of docs/protocol.md that exists, and nothing points at a document or a path
// that is not part of the repository.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { ERROR_CODES } from '../src/errors/error-codes.js';
import { DEFAULT_SIMULATOR_OPTIONS } from '../src/simulator/resolve-options.js';

const ROOT = join(import.meta.dirname, '..');
const PROTOCOL_DOC = 'docs/protocol.md';

/** Scanned trees and files, relative to the repository root. */
const TREES = ['src', 'test', 'bench', 'scripts', 'examples', 'docs'];
const FILES = ['README.md'];
/** Generated output, not written by hand. */
const SKIPPED = new Set(['bench/results', 'node_modules']);
const TEXT = /\.(?:ts|mts|cts|js|mjs|cjs|json|jsonl|md|txt|ya?ml|sh)$/;

/**
 * Names of documents that are not part of the repository, and a path that leaves it. Built from
 * parts so that this file does not match itself.
 */
const FORBIDDEN: readonly string[] = [
  ['api', 'spec'].join('-'),
  ['flow', 'design'].join('-'),
  ['capacity', 'design'].join('-'),
  ['..', 'shared'].join('/'),
  ['', 'work', 'shared'].join('/'),
];

function walk(dir: string, out: string[]): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return out;
  for (const name of readdirSync(abs).sort()) {
    const rel = `${dir}/${name}`;
    if (SKIPPED.has(rel) || name === 'node_modules') continue;
    if (statSync(join(ROOT, rel)).isDirectory()) walk(rel, out);
    else if (TEXT.test(name)) out.push(rel);
  }
  return out;
}

function scannedFiles(): string[] {
  const files: string[] = [];
  for (const tree of TREES) walk(tree, files);
  for (const file of FILES) if (existsSync(join(ROOT, file))) files.push(file);
  return files;
}

function read(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

/** Line number (1-based) of a character offset. */
function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The headings of a Markdown file, outside code fences, without their `#`s. */
function headings(markdown: string): Set<string> {
  const found = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(?:```|~~~)/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (match?.[1]) found.add(match[1]);
  }
  return found;
}

test('no file cites a document or a path outside the repository', () => {
  const files = scannedFiles();
  assert.ok(files.length > 100, `scanned ${files.length} files`);
  const hits: string[] = [];
  for (const file of files) {
    const text = read(file);
    const lower = text.toLowerCase();
    for (const needle of FORBIDDEN) {
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) {
        hits.push(`${file}:${lineOf(text, at)} mentions "${needle}"`);
      }
    }
  }
  assert.deepEqual(hits, []);
});

test('relative Markdown links stay inside the repository', () => {
  const outside: string[] = [];
  for (const file of scannedFiles().filter((f) => f.endsWith('.md'))) {
    const text = read(file);
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = (match[1] ?? '').split('#')[0] ?? '';
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const abs = target.startsWith('/') ? target : resolve(ROOT, dirname(file), target);
      const rel = relative(ROOT, abs);
      if (rel === '..' || rel.startsWith(`..${sep}`) || target.startsWith('/')) {
        outside.push(`${file}:${lineOf(text, match.index)} links to ${target}`);
      }
    }
  }
  assert.deepEqual(outside, []);
});

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

test('links within docs/ point at headings that exist', () => {
  const broken: string[] = [];
  for (const file of scannedFiles().filter((f) => f.startsWith('docs/') && f.endsWith('.md'))) {
    const text = read(file);
    const anchors = new Set([...headings(text)].map(slug));
    for (const match of text.matchAll(/\]\(([^)\s#]*)#([^)\s]+)\)/g)) {
      const target = match[1] ?? '';
      const targetFile = target === '' ? file : join(dirname(file), target);
      if (target !== '' && !existsSync(join(ROOT, targetFile))) {
        broken.push(`${file}:${lineOf(text, match.index)} links to missing ${target}`);
        continue;
      }
      const known = target === '' ? anchors : new Set([...headings(read(targetFile))].map(slug));
      if (!known.has(match[2] ?? '')) {
        broken.push(`${file}:${lineOf(text, match.index)} links to missing #${match[2] ?? ''}`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test(`every "${PROTOCOL_DOC}, <heading>" reference names a heading of ${PROTOCOL_DOC}`, () => {
  assert.ok(existsSync(join(ROOT, PROTOCOL_DOC)), `${PROTOCOL_DOC} exists`);
  const known = headings(read(PROTOCOL_DOC));
  const broken: string[] = [];
  let references = 0;
  let sourceReferences = 0;
  for (const file of scannedFiles()) {
    const text = read(file);
    for (const match of text.matchAll(/docs\/protocol\.md\b(,?\s*)("([^"\n]*)")?/g)) {
      const where = `${file}:${lineOf(text, match.index)}`;
      const heading = match[3];
      if (heading === undefined) {
        // A bare mention of the file (a link, "see docs/protocol.md") names no section.
        if ((match[1] ?? '').startsWith(',')) broken.push(`${where} names no quoted heading`);
        continue;
      }
      references++;
      if (file.startsWith('src/')) sourceReferences++;
      if (!known.has(heading)) broken.push(`${where} names "${heading}", which is no heading`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(sourceReferences > 0, 'the source cites sections of the protocol document');
  assert.ok(references >= sourceReferences);
});

test(`${PROTOCOL_DOC} covers every known error code and the simulator's solve-time medians`, () => {
  const doc = read(PROTOCOL_DOC);
  const missing = Object.keys(ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``));
  assert.deepEqual(missing, [], 'codes of ERROR_CODES not described');
  for (const [category, spec] of Object.entries(DEFAULT_SIMULATOR_OPTIONS.solveTimes)) {
    const row = new RegExp(
      `^\\| \`${category}\`\\s*\\|[^|]*\\|\\s*(\\d+(?:\\.\\d+)?) s\\s*\\|`,
      'm',
    ).exec(doc);
    assert.ok(row, `a solve-time row for ${category}`);
    assert.equal(Number(row[1]) * 1000, spec.medianMs, `the median of ${category}`);
  }
});
