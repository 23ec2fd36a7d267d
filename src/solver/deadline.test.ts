import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortError } from '../errors/abort-error.js';
import { ManualClock } from '../time/manual-clock.js';
import { DEADLINE_REASON, withDeadline } from './deadline.js';

test('withDeadline aborts work at the deadline with a recognisable reason', async () => {
  const clock = new ManualClock();
  const run = withDeadline(clock, 1_000, undefined, (signal) => clock.sleep(5_000, signal));
  const rejected = assert.rejects(
    run,
    (e: unknown) => e instanceof AbortError && e.cause === DEADLINE_REASON,
  );
  await clock.advance(1_000);
  await rejected;
  assert.equal(clock.pendingTimers, 0);
});

test('withDeadline passes the parent abort reason through and clears its timer on success', async () => {
  const clock = new ManualClock();
  const parent = new AbortController();
  const run = withDeadline(clock, 1_000, parent.signal, (signal) => clock.sleep(500, signal));
  parent.abort('user');
  await assert.rejects(run, (e: unknown) => e instanceof AbortError && e.cause === 'user');
  const ok = withDeadline(clock, 1_000, undefined, async (signal) => {
    await clock.sleep(10, signal);
    return 7;
  });
  await clock.advance(10);
  assert.equal(await ok, 7);
  assert.equal(clock.pendingTimers, 0);
});
