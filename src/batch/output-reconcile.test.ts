import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { META } from './journal-store.js';
import { reconcileOutput, UnknownResultsError } from './output-reconcile.js';
import { FileSink } from './output-sink.js';
import { SqliteJournalStore } from './sqlite-journal-store.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-reconcile-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const A = { line: 1, hash: 'a'.repeat(32) };
const B = { line: 2, hash: 'b'.repeat(32) };
const C = { line: 3, hash: 'c'.repeat(32) };

test('a crash between the output fsync and the journal mark: the line is not written twice', () => {
  const out = join(dir, 'out.jsonl');
  const journal = new SqliteJournalStore(join(dir, 'j.sqlite'));
  try {
    let sink = new FileSink(out);
    assert.equal(reconcileOutput(journal, sink, 0).recovered, 0);
    // A first batch, written and marked as the runner does.
    journal.done(A, '{"id":1}', 0);
    journal.written([1], 9, 0);
    appendFileSync(out, '{"id":1}\n');
    // Then: B and C decided, B's line reached the file, C's only half; the process died.
    journal.done(B, '{"id":2}', 0);
    journal.done(C, '{"id":3}', 0);
    appendFileSync(out, '{"id":2}\n{"id"');
    sink.close();

    sink = new FileSink(out);
    const result = reconcileOutput(journal, sink, 0);
    assert.equal(result.recovered, 1);
    assert.equal(result.truncatedBytes, 5);
    assert.equal(journal.get(2)?.state, 'written', 'the line found in the file is marked');
    assert.equal(journal.get(3)?.state, 'done', 'the cut one will be written whole');
    assert.equal(readFileSync(out, 'utf8'), '{"id":1}\n{"id":2}\n');
    assert.equal(journal.readMeta(META.outCommitted), String(sink.size));
    sink.close();
  } finally {
    journal.close();
  }
});

test('a new journal on an output that already holds results: refused before anything is sent', () => {
  const out = join(dir, 'used.jsonl');
  appendFileSync(out, '{"id":1,"status":"ok"}\n');
  const journal = new SqliteJournalStore(join(dir, 'j3.sqlite'));
  try {
    const sink = new FileSink(out);
    assert.throws(() => reconcileOutput(journal, sink, 0), UnknownResultsError);
    sink.close();
  } finally {
    journal.close();
  }
});

test('a journal that lost its latest state (its -wal deleted): results it never recorded are refused', () => {
  const out = join(dir, 'lost.jsonl');
  const journal = new SqliteJournalStore(join(dir, 'j4.sqlite'));
  try {
    let sink = new FileSink(out);
    reconcileOutput(journal, sink, 0);
    journal.done(A, '{"id":1}', 0);
    journal.written([1], 9, 0);
    // Written by a state of the journal that is gone now: no row knows these two.
    appendFileSync(out, '{"id":1}\n{"id":2}\n{"id":3}\n');
    sink.close();
    sink = new FileSink(out);
    assert.throws(
      () => reconcileOutput(journal, sink, 0),
      (error: unknown) =>
        error instanceof UnknownResultsError && /holds 2 results past/.test(error.message),
    );
    sink.close();
  } finally {
    journal.close();
  }
});

test('another output file than last time: nothing to reconcile, and the user is told', () => {
  const journal = new SqliteJournalStore(join(dir, 'j2.sqlite'));
  try {
    const first = new FileSink(join(dir, 'first.jsonl'));
    reconcileOutput(journal, first, 0);
    first.close();
    journal.done(A, '{"id":1}', 0);
    const second = new FileSink(join(dir, 'second.jsonl'));
    const result = reconcileOutput(journal, second, 0);
    assert.equal(result.recovered, 0);
    assert.match(result.note ?? '', /wrote to .*first\.jsonl before/);
    assert.equal(journal.readMeta(META.out), second.name);
    second.close();
  } finally {
    journal.close();
  }
});
