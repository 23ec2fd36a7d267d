import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RateEvidence } from './rate-evidence.js';

function answer(evidence: RateEvidence, n: number): void {
  for (let i = 0; i < n; i++) evidence.answer();
}

describe('RateEvidence', () => {
  test('between two 429s the server sustained (answered - 1) / elapsed', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    evidence.throttled(5_000);
    answer(evidence, 101);
    // 100 requests more than refilled would be impossible: one is the bucket's last token
    assert.equal(evidence.provenRate(25_000), 5);
  });

  test('spans shorter than the minimum prove nothing; the best of the long ones counts', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    assert.equal(evidence.provenRate(0), undefined, 'no 429 yet');
    evidence.throttled(0);
    answer(evidence, 41);
    evidence.throttled(10_000);
    answer(evidence, 200);
    assert.equal(evidence.provenRate(19_999), 240 / 19.999, 'only the span from 0 is long enough');
    evidence.throttled(20_000);
    answer(evidence, 10);
    // from 0: 250 over 30 s; from 10 s: 209 over 20 s (the better proof); from 20 s: too short
    assert.equal(evidence.provenRate(30_000), 209 / 20);
  });

  test('a burst of 429s is one empty-bucket moment, kept at its latest', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    evidence.throttled(0);
    answer(evidence, 3);
    evidence.throttled(200); // within the burst: replaces the mark at 0
    answer(evidence, 49);
    assert.equal(evidence.provenRate(10_100), undefined, 'the span counts from 200, not 0');
    assert.equal(evidence.provenRate(10_200), 48 / 10);
  });

  test('spans older than the horizon are forgotten, and clear forgets all', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    evidence.throttled(0);
    answer(evidence, 3_001);
    assert.equal(evidence.provenRate(600_000), 5, 'at the horizon it still counts');
    assert.equal(evidence.provenRate(600_001), undefined, 'past it the old plan says nothing');
    evidence.throttled(700_000);
    answer(evidence, 51);
    evidence.clear();
    assert.equal(evidence.provenRate(710_000), undefined);
  });

  test('too few answers prove no rate at all', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    evidence.throttled(0);
    evidence.answer();
    assert.equal(evidence.provenRate(20_000), undefined);
  });
});
