import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryJournalStore } from './memory-journal-store.js';
import { replayResults } from './replay.js';

test('replay prints every written result in line order and counts the errors; others wait', () => {
  const journal = new MemoryJournalStore();
  const key = (line: number) => ({ line, hash: String(line).repeat(32).slice(0, 32) });
  journal.done(key(3), '{"id":3,"status":"error","error":"INVALID_TASK"}', 0);
  journal.done(key(1), '{"id":1,"status":"ok","solution":"a"}', 0);
  journal.done(key(2), '{"id":2,"status":"ok","solution":"b"}', 0);
  journal.written([1, 3], undefined, 0);
  const printed: string[] = [];
  const summary = replayResults(journal, (record) => printed.push(record));
  assert.deepEqual(
    printed.map((r) => (JSON.parse(r) as { id: number }).id),
    [1, 3],
  );
  assert.deepEqual(summary, { printed: 2, errors: 1 });
});
