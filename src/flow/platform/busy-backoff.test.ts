import assert from 'node:assert/strict';
import { test } from 'node:test';
import { busyRetryDelay } from './busy-backoff.js';

const top = (): number => 0.999999;

test('a burst backs off 3 s, x1.5 a try, at most 15 s (the vendor advice)', () => {
  const delays = [0, 1, 2, 3, 4, 5, 6].map((attempt) => busyRetryDelay(attempt, 10_000, top));
  assert.deepEqual(delays, [3_000, 4_500, 6_750, 10_125, 15_000, 15_000, 15_000]);
});

test('a type refused for over a minute is tried at most every 30 s', () => {
  assert.equal(busyRetryDelay(10, 59_999, top), 15_000);
  assert.equal(busyRetryDelay(10, 60_000, top), 30_000);
  assert.equal(busyRetryDelay(40, 3_600_000, top), 30_000);
});

test('jitter only shortens the wait, by at most a quarter', () => {
  assert.equal(
    busyRetryDelay(0, 0, () => 0),
    2_250,
  );
  for (let r = 0; r < 1; r += 0.1) {
    const d = busyRetryDelay(4, 0, () => r);
    assert.ok(d >= 11_250 && d <= 15_000, `${d}`);
  }
});
