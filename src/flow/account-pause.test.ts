import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../time/manual-clock.js';
import { AccountPause } from './account-pause.js';

test('AccountPause holds every waiter until the longest pause ends', async () => {
  const clock = new ManualClock();
  const pause = new AccountPause(clock);
  pause.pauseFor(5_000);
  pause.pauseFor(2_000);
  assert.equal(pause.remainingMs, 5_000);
  let released = 0;
  void pause.wait().then(() => released++);
  void pause.wait().then(() => released++);
  await clock.advance(3_000);
  pause.pauseFor(4_000);
  await clock.advance(2_000);
  assert.equal(released, 0);
  await clock.advance(2_000);
  assert.equal(released, 2);
  assert.equal(clock.now(), 7_000);
});
