// The behaviour every JournalStore must have, as one suite that each implementation's test file
// runs against a fresh store: the transitions, the refusals, and what survives (for stores that
// persist) closing and reopening.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JournalStateError, META, type JournalStore } from './journal-store.js';

export interface StoreFactory {
  /** A fresh, empty store. */
  create(): JournalStore;
  /** The same store closed and opened again; undefined for stores that do not persist. */
  reopen?: (store: JournalStore) => JournalStore;
}

const A = { line: 1, hash: 'a'.repeat(32) };
const B = { line: 2, hash: 'b'.repeat(32) };
const C = { line: 5, hash: 'c'.repeat(32) };

export function journalStoreSuite(name: string, factory: StoreFactory): void {
  const withStore = (fn: (store: JournalStore) => void) => () => {
    const store = factory.create();
    try {
      fn(store);
    } finally {
      store.close();
    }
  };

  test(
    `${name}: a line goes submitting → accepted → done → written`,
    withStore((store) => {
      store.submitting(A, 'turnstile', 10);
      assert.equal(store.get(1)?.state, 'submitting');
      assert.equal(store.get(1)?.method, 'turnstile');
      store.accepted(1, '2122988149', 20, 20);
      const accepted = store.get(1);
      assert.equal(accepted?.state, 'accepted');
      assert.equal(accepted?.taskId, '2122988149');
      assert.equal(accepted?.submittedAt, 20);
      store.done(A, '{"id":1,"status":"ok"}', 30);
      assert.equal(store.get(1)?.record, '{"id":1,"status":"ok"}');
      store.written([1], undefined, 40);
      assert.equal(store.get(1)?.state, 'written');
      assert.equal(store.get(1)?.record, '{"id":1,"status":"ok"}', 'a written record is kept');
      assert.deepEqual(store.writtenRecords(0, 10), [
        { line: 1, record: '{"id":1,"status":"ok"}' },
      ]);
      assert.deepEqual(store.writtenRecords(1, 10), []);
    }),
  );

  test(
    `${name}: forgetService puts every line the service held back to queued, and no other`,
    withStore((store) => {
      store.submitting(A, 'turnstile', 1);
      store.accepted(1, '2122988149', 2, 2);
      store.submitting(B, 'turnstile', 3);
      store.ambiguous(2, 4);
      store.submitting(C, 'turnstile', 5);
      store.done(C, '{"id":5}', 6);
      assert.equal(store.forgetService(7), 2);
      assert.equal(store.get(1)?.state, 'queued');
      assert.equal(store.get(1)?.taskId, undefined, 'the old task id is dropped');
      assert.equal(store.get(2)?.state, 'queued');
      assert.equal(store.get(5)?.state, 'done');
      store.submitting(A, 'turnstile', 8);
      assert.equal(store.get(1)?.state, 'submitting', 'and it may be sent again');
    }),
  );

  test(
    `${name}: a refused submit goes back to queued, and may be sent again`,
    withStore((store) => {
      store.submitting(A, 'turnstile', 1);
      store.queued(A, 'turnstile', 2, 0);
      assert.equal(store.get(1)?.state, 'queued');
      store.submitting(A, 'turnstile', 3);
      assert.equal(store.get(1)?.state, 'submitting');
    }),
  );

  test(
    `${name}: an accepted task can never be submitted again`,
    withStore((store) => {
      store.submitting(A, 'turnstile', 1);
      store.accepted(1, '7', 2, 2);
      assert.throws(() => store.submitting(A, 'turnstile', 3), JournalStateError);
      assert.equal(store.get(1)?.state, 'accepted', 'a refused change leaves the row as it was');
    }),
  );

  test(
    `${name}: an unsolvable retry clears the task id and counts the attempt`,
    withStore((store) => {
      store.submitting(A, 'turnstile', 1);
      store.accepted(1, '7', 2, 2);
      store.queued(A, 'turnstile', 3, 1);
      const row = store.get(1);
      assert.equal(row?.state, 'queued');
      assert.equal(row?.taskId, undefined);
      assert.equal(row?.unsolvable, 1);
    }),
  );

  test(
    `${name}: a lost answer makes the line ambiguous and counts it`,
    withStore((store) => {
      store.submitting(A, 'turnstile', 1);
      store.ambiguous(1, 2);
      assert.equal(store.get(1)?.state, 'ambiguous');
      assert.equal(store.get(1)?.lostSubmits, 1);
      assert.throws(
        () => store.queued(A, 'turnstile', 3, 0),
        JournalStateError,
        'ambiguous is never "safe to send"',
      );
      store.submitting(A, 'turnstile', 4);
      store.ambiguous(1, 5);
      assert.equal(store.get(1)?.lostSubmits, 2);
      store.done(A, '{"id":1,"status":"error"}', 6);
      assert.equal(store.get(1)?.state, 'done');
    }),
  );

  test(
    `${name}: a result is decided once and written once`,
    withStore((store) => {
      store.done(A, 'r1', 1);
      assert.throws(() => store.done(A, 'r2', 2), JournalStateError);
      store.written([1], undefined, 3);
      assert.throws(() => store.written([1], undefined, 4), JournalStateError);
      assert.throws(() => store.done(A, 'r3', 5), JournalStateError);
    }),
  );

  test(
    `${name}: written is all or nothing, and stores the output size with it`,
    withStore((store) => {
      store.done(A, 'ra', 1);
      store.submitting(B, 'turnstile', 1);
      assert.throws(() => store.written([1, 2], 100, 2), JournalStateError);
      assert.equal(store.get(1)?.state, 'done', 'the batch was refused as a whole');
      assert.equal(store.readMeta(META.outCommitted), undefined);
      store.written([1], 100, 3);
      assert.equal(store.readMeta(META.outCommitted), '100');
    }),
  );

  test(
    `${name}: a row of another line text is refused`,
    withStore((store) => {
      store.submitting(A, 'turnstile', 1);
      assert.throws(
        () => store.submitting({ line: 1, hash: 'z'.repeat(32) }, 'turnstile', 2),
        JournalStateError,
      );
      assert.throws(() => store.done({ line: 1, hash: 'z'.repeat(32) }, 'r', 2), JournalStateError);
    }),
  );

  test(
    `${name}: transitions that need a row refuse a line without one`,
    withStore((store) => {
      assert.throws(() => store.accepted(9, '1', 1, 1), JournalStateError);
      assert.throws(() => store.ambiguous(9, 1), JournalStateError);
      assert.throws(() => store.written([9], undefined, 1), JournalStateError);
      assert.equal(store.get(9), undefined);
    }),
  );

  test(
    `${name}: queries: counts, max line, hashes and rows by state, in line order`,
    withStore((store) => {
      assert.equal(store.maxLine(), 0);
      store.done(C, 'rc', 1);
      store.submitting(A, 'turnstile', 1);
      store.done(B, 'rb', 1);
      assert.equal(store.maxLine(), 5);
      assert.deepEqual(store.counts(), {
        queued: 0,
        submitting: 1,
        ambiguous: 0,
        accepted: 0,
        done: 2,
        written: 0,
      });
      assert.deepEqual(store.hashes(0, 2), [
        { line: 1, hash: A.hash },
        { line: 2, hash: B.hash },
      ]);
      assert.deepEqual(store.hashes(2, 10), [{ line: 5, hash: C.hash }]);
      assert.deepEqual(
        store.rowsInState('done', 10).map((r) => r.line),
        [2, 5],
      );
    }),
  );

  test(
    `${name}: meta values round-trip and can be replaced`,
    withStore((store) => {
      assert.equal(store.readMeta('nothing'), undefined);
      store.writeMeta(META.service, 'a');
      store.writeMeta(META.service, 'b');
      assert.equal(store.readMeta(META.service), 'b');
      assert.ok(store.readMeta(META.format));
    }),
  );

  const reopen = factory.reopen;
  if (reopen) {
    test(`${name}: every committed change survives closing and reopening`, () => {
      let store = factory.create();
      store.submitting(A, 'turnstile', 1);
      store.accepted(1, '42', 2, 2);
      store.done(B, 'rb', 3);
      store.writeMeta(META.out, '/tmp/out.jsonl');
      store = reopen(store);
      try {
        assert.equal(store.get(1)?.taskId, '42');
        assert.equal(store.get(2)?.record, 'rb');
        assert.equal(store.readMeta(META.out), '/tmp/out.jsonl');
      } finally {
        store.close();
      }
    });
  }
}
