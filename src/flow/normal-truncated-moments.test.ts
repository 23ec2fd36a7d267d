import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Random, seededRandom } from '../time/random.js';
import { truncatedNormalMoments } from './normal-truncated-moments.js';

/** Box-Muller: a standard normal from two uniforms (1 - u keeps the log finite). */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Draws from N(0, 1) restricted to (lo, hi], by plain rejection near the centre and by Robert's
 * exponential proposal (1995) in a tail, where plain rejection would almost never accept.
 */
function sampleTruncated(lo: number, hi: number, random: Random): number {
  if (lo < 2 && hi > -2) {
    for (;;) {
      const z = gaussian(random);
      if (z > lo && z <= hi) return z;
    }
  }
  const flip = hi <= -2;
  const [a, b] = flip ? [-hi, -lo] : [lo, hi];
  const rate = (a + Math.sqrt(a * a + 4)) / 2;
  for (;;) {
    const z = a - Math.log(1 - random()) / rate;
    if (z <= b && random() <= Math.exp(-0.5 * (z - rate) ** 2)) return flip ? -z : z;
  }
}

/** Simpson's rule on the density, in coordinates shifted to lo so that far tails stay exact. */
function integrate(lo: number, hi: number): { mean: number; variance: number } {
  const steps = 20_000;
  const width = hi - lo;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i <= steps; i++) {
    const u = (i / steps) * width;
    const weight = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    const density = Math.exp(-0.5 * u * (2 * lo + u)) * weight;
    m0 += density;
    m1 += density * u;
    m2 += density * u * u;
  }
  const shift = m1 / m0;
  return { mean: lo + shift, variance: m2 / m0 - shift * shift };
}

describe('truncatedNormalMoments', () => {
  test('agrees with Monte Carlo, from the centre to far tails', () => {
    const random = seededRandom(20240607);
    const intervals: [number, number][] = [
      [-Infinity, Infinity],
      [-1, 1],
      [0, Infinity],
      [-Infinity, -1.5],
      [0.5, 2.5],
      [4, Infinity],
      [8, 9],
      [-Infinity, -6],
      [-12, -11.5],
    ];
    const n = 40_000;
    for (const [lo, hi] of intervals) {
      let sum = 0;
      let sumSquares = 0;
      for (let i = 0; i < n; i++) {
        const z = sampleTruncated(lo, hi, random);
        sum += z;
        sumSquares += z * z;
      }
      const mean = sum / n;
      const variance = sumSquares / n - mean * mean;
      const exact = truncatedNormalMoments(lo, hi);
      const label = `(${lo}, ${hi}]: exact ${JSON.stringify(exact)}, sampled ${mean}, ${variance}`;
      // Five standard errors on the mean; 5 % on the variance (its sampling error is ~1 %).
      assert.ok(Math.abs(exact.mean - mean) < 5 * Math.sqrt(exact.variance / n), label);
      assert.ok(Math.abs(exact.variance / variance - 1) < 0.05, label);
    }
  });

  test('agrees with numerical integration to high precision, narrow and far-tail intervals too', () => {
    const intervals: [number, number][] = [
      [-0.3, 0.2],
      [1, 1.5],
      [2.9, 3.1],
      [6, 7],
      [30, 31],
      [-31, -30],
      [60, 62],
      [45, 45.1],
      [0.5, 0.51],
      [10, 10.001],
      [-4, 4],
    ];
    for (const [lo, hi] of intervals) {
      const exact = truncatedNormalMoments(lo, hi);
      const numeric = integrate(lo, hi);
      const label = `(${lo}, ${hi}]: ${JSON.stringify(exact)} vs ${JSON.stringify(numeric)}`;
      assert.ok(Math.abs(exact.mean - numeric.mean) < 1e-10 * Math.max(1, Math.abs(lo)), label);
      assert.ok(Math.abs(exact.variance / numeric.variance - 1) < 1e-4, label);
    }
  });

  test('knows the half-normal and the untruncated cases exactly', () => {
    const half = truncatedNormalMoments(0, Infinity);
    assert.ok(Math.abs(half.mean - Math.sqrt(2 / Math.PI)) < 1e-15);
    assert.ok(Math.abs(half.variance - (1 - 2 / Math.PI)) < 1e-15);
    assert.deepEqual(truncatedNormalMoments(-Infinity, Infinity), { mean: 0, variance: 1 });
    const lower = truncatedNormalMoments(-Infinity, 0);
    assert.ok(Math.abs(lower.mean + Math.sqrt(2 / Math.PI)) < 1e-15);
  });

  test('stays finite and inside the interval where the probability underflows', () => {
    for (const [lo, hi] of [
      [40, Infinity],
      [40, 41],
      [-300, -299.5],
      [1000, Infinity],
    ] as [number, number][]) {
      const { mean, variance } = truncatedNormalMoments(lo, hi);
      // Deep in a tail the density falls like exp(-edge * distance): mean ~ 1/edge inside the
      // edge nearer 0, variance ~ 1/edge^2 (with 1/edge^2 corrections).
      const edge = lo > 0 ? lo : -hi;
      const inside = lo > 0 ? mean - lo : hi - mean;
      assert.ok(mean > lo && mean <= hi, `(${lo}, ${hi}] mean ${mean}`);
      assert.ok(Math.abs(inside * edge - 1) < 2.1 / edge ** 2, `(${lo}, ${hi}] mean ${mean}`);
      assert.ok(
        Math.abs(variance * edge * edge - 1) < 6.1 / edge ** 2,
        `(${lo}, ${hi}] variance ${variance}`,
      );
    }
  });

  test('an empty interval is a point; a reversed one is an error', () => {
    assert.deepEqual(truncatedNormalMoments(1.5, 1.5), { mean: 1.5, variance: 0 });
    assert.throws(() => truncatedNormalMoments(2, 1), RangeError);
    assert.throws(() => truncatedNormalMoments(NaN, 1), RangeError);
  });
});
