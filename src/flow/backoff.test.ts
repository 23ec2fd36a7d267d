import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seededRandom } from '../time/random.js';
import { fullJitterDelay, serverPauseDelay } from './backoff.js';

describe('fullJitterDelay', () => {
  test('stays below the exponential ceiling and the cap', () => {
    const random = seededRandom(7);
    const policy = { baseMs: 1000, capMs: 30_000 };
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(30_000, 1000 * 2 ** attempt);
      for (let i = 0; i < 200; i++) {
        const d = fullJitterDelay(attempt, policy, random);
        assert.ok(d >= 0 && d < ceiling, `attempt ${attempt}: ${d} outside [0, ${ceiling})`);
      }
    }
  });

  test('uses the whole range (jitter, not a fixed ladder)', () => {
    const low = fullJitterDelay(5, { baseMs: 1000, capMs: 30_000 }, () => 0);
    const high = fullJitterDelay(5, { baseMs: 1000, capMs: 30_000 }, () => 0.999999);
    assert.equal(low, 0);
    assert.equal(high, 29_999);
  });

  test('huge attempt counts do not overflow', () => {
    assert.equal(
      fullJitterDelay(10_000, { baseMs: 1000, capMs: 5000 }, () => 0.5),
      2500,
    );
  });
});

describe('serverPauseDelay', () => {
  test('is a floor with bounded jitter, clamped to the maximum', () => {
    assert.equal(
      serverPauseDelay(10_000, 60_000, () => 0),
      10_000,
    );
    assert.equal(
      serverPauseDelay(10_000, 60_000, () => 0.5, 200),
      10_100,
    );
    assert.equal(
      serverPauseDelay(600_000, 60_000, () => 0.5),
      60_000,
    );
    assert.equal(
      serverPauseDelay(-5, 60_000, () => 0),
      0,
    );
  });
});
