import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlowStart } from './slow-start.js';

test('paces at the initial rate, doubling per doubling time of waiting only', () => {
  const start = new SlowStart(10, 250);
  assert.equal(start.msUntilToken(), 0, 'one token at once');
  start.take();
  assert.equal(start.msUntilToken(), 100, 'then one per 100 ms');
  start.advance(1_000, false);
  assert.equal(start.ratePerSecond, 10, 'idle time does not double it');
  start.advance(500, true);
  assert.equal(start.ratePerSecond, 40, 'two doublings in 500 ms of waiting');
  assert.equal(start.done, false);
});

test('done past 1,000 requests a second: about 1.7 s of waiting from 10/s', () => {
  const start = new SlowStart(10, 250);
  start.advance(1_650, true);
  assert.equal(start.done, false, `${start.ratePerSecond}/s`);
  start.advance(50, true);
  assert.equal(start.done, true, `${start.ratePerSecond}/s`);
});
