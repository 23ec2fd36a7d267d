import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JournalRow } from './journal-store.js';
import { planLine } from './resume-plan.js';

const H = 'h'.repeat(32);
const row = (patch: Partial<JournalRow>): JournalRow => ({
  line: 1,
  hash: H,
  state: 'queued',
  method: 'turnstile',
  taskId: undefined,
  submittedAt: undefined,
  unsolvable: 0,
  lostSubmits: 0,
  record: undefined,
  ...patch,
});

test('each journal state has its resume rule', () => {
  assert.deepEqual(planLine(undefined, H), { kind: 'submit' });
  assert.deepEqual(planLine(row({ state: 'queued' }), H), { kind: 'submit' });
  assert.deepEqual(planLine(row({ state: 'submitting' }), H), { kind: 'lost', ended: true });
  assert.deepEqual(planLine(row({ state: 'ambiguous' }), H), { kind: 'lost', ended: false });
  assert.deepEqual(planLine(row({ state: 'accepted', taskId: '7', submittedAt: 5 }), H), {
    kind: 'collect',
    taskId: '7',
    submittedAt: 5,
  });
  assert.deepEqual(planLine(row({ state: 'done', record: '{}' }), H), {
    kind: 'replay',
    record: '{}',
  });
  assert.deepEqual(planLine(row({ state: 'written' }), H), { kind: 'skip' });
  assert.deepEqual(planLine(row({ state: 'written' }), 'x'.repeat(32)), { kind: 'changed' });
});
