import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RateEvidence } from './rate-evidence.js';

/** `n` answers at `at`, all sent then. */
function answer(evidence: RateEvidence, n: number, at: number): void {
  for (let i = 0; i < n; i++) evidence.answer(at);
}

/** Answers at `perSecond` from `from` to `to` (ms), each sent when answered. */
function steady(evidence: RateEvidence, perSecond: number, from: number, to: number): void {
  const gap = 1000 / perSecond;
  for (let at = from; at < to; at += gap) evidence.answer(at);
}

describe('RateEvidence', () => {
  test('between two 429s the server sustained (answered - 1) / elapsed', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    evidence.throttled(5_000);
    answer(evidence, 101, 5_001);
    // 100 requests more than refilled would be impossible: one is the bucket's last token
    assert.equal(evidence.provenRate(25_000), 5);
  });

  test('spans shorter than the minimum prove nothing; the best of the long ones counts', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    assert.equal(evidence.provenRate(0), undefined, 'no 429 yet');
    evidence.throttled(0);
    answer(evidence, 41, 1);
    evidence.throttled(10_000);
    answer(evidence, 200, 10_001);
    assert.equal(evidence.provenRate(19_999), 240 / 19.999, 'only the span from 0 is long enough');
    evidence.throttled(20_000);
    answer(evidence, 10, 20_001);
    // from 0: 250 over 30 s; from 10 s: 209 over 20 s (the better proof); from 20 s: too short
    assert.equal(evidence.provenRate(30_000), 209 / 20);
  });

  test('a burst of 429s is one empty-bucket moment, kept at its latest', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    evidence.throttled(0);
    answer(evidence, 3, 1);
    evidence.throttled(200); // within the burst: replaces the mark at 0
    answer(evidence, 49, 201);
    assert.equal(evidence.provenRate(10_100), undefined, 'the span counts from 200, not 0');
    assert.equal(evidence.provenRate(10_200), 48 / 10);
  });

  test('spans older than the horizon are forgotten, and clear forgets all', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    evidence.throttled(0);
    answer(evidence, 3_001, 1);
    assert.equal(evidence.provenRate(600_000), 5, 'at the horizon it still counts');
    assert.equal(evidence.provenRate(600_001), undefined, 'past it the old plan says nothing');
    evidence.throttled(700_000);
    answer(evidence, 51, 700_001);
    evidence.clear();
    assert.equal(evidence.provenRate(710_000), undefined);
  });

  test('too few answers prove no rate at all', () => {
    const evidence = new RateEvidence(10_000, 600_000);
    evidence.throttled(0);
    evidence.answer(1);
    assert.equal(evidence.provenRate(20_000), undefined);
  });

  describe('spans from anywhere, with the depth the first 429 bounds', () => {
    /** Two accepted at start, then a 429: the server's bucket held at most those two. */
    function coldStart(): RateEvidence {
      const evidence = new RateEvidence(10_000, 600_000);
      answer(evidence, 2, 0);
      evidence.throttled(10);
      return evidence;
    }

    test('a span under the limit with the bucket full proves little from its 429; from later, more', () => {
      const evidence = coldStart();
      // 20 s at 1/s (under a limit of 2/s: the server's bucket fills and overflows), then 20 s at 2/s
      steady(evidence, 1, 1_000, 21_000);
      steady(evidence, 2, 21_000, 41_000);
      // from the 429 at 10 ms: (60 - 1) / 40.99 s; from the checkpoint at 21 s: (40 - 2) / 20 s
      assert.equal(evidence.provenRate(41_000), 38 / 20);
    });

    test('a request sent before the first 429 arrived counts toward the depth, answered after it', () => {
      const evidence = coldStart();
      evidence.answer(500, 5); // sent at 5 ms, before the 429 at 10 ms: the bucket held three
      steady(evidence, 1, 1_000, 21_000);
      steady(evidence, 2, 21_000, 41_000);
      assert.equal(evidence.provenRate(41_000), 37 / 20);
    });

    test('no request accepted before the first 429: the bucket was not full, no depth is known', () => {
      const evidence = new RateEvidence(10_000, 600_000);
      evidence.throttled(0);
      steady(evidence, 1, 1_000, 21_000);
      steady(evidence, 2, 21_000, 41_000);
      assert.equal(evidence.provenRate(41_000), 59 / 41, 'only the span from the 429');
    });

    test('a 429 at or under the rate the depth proved refutes it for good', () => {
      const proofAfter = (sentAtRefusal: number): number | undefined => {
        const evidence = coldStart();
        steady(evidence, 1, 1_000, 21_000);
        steady(evidence, 2, 21_000, 41_000);
        assert.equal(evidence.provenRate(41_000), 38 / 20);
        evidence.throttled(41_000);
        evidence.throttledAt(sentAtRefusal);
        steady(evidence, 1, 41_000, 61_000);
        return evidence.provenRate(61_000);
      };
      // sent above the proof: says nothing against it; from the checkpoint at 21 s, (60 - 2) / 40 s
      assert.equal(proofAfter(2.5), 58 / 40);
      // refused while sending under what the depth proved: only spans from 429s, the best from 10 ms
      assert.equal(proofAfter(1.85), (82 - 2 - 1) / 60.99);
    });

    test('clear forgets the checkpoints too', () => {
      const evidence = coldStart();
      steady(evidence, 2, 1_000, 41_000);
      evidence.clear();
      assert.equal(evidence.provenRate(41_000), undefined);
    });
  });
});
