import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogNormalSolveTime } from './solve-time-log-normal.js';

const model = LogNormalSolveTime.fromMedian(17_600, 0.5);

describe('LogNormalSolveTime', () => {
  test('median, mean and quantile/cdf are mutually consistent', () => {
    assert.ok(Math.abs(model.medianMs - 17_600) < 1e-9);
    assert.ok(Math.abs(model.meanMs - 17_600 * Math.exp(0.125)) < 1e-9);
    assert.ok(Math.abs(model.quantile(0.5) - 17_600) < 1e-9);
    for (const p of [1e-9, 0.01, 0.05, 0.3, 0.65, 0.9, 0.999]) {
      assert.ok(
        Math.abs(model.cdf(model.quantile(p)) - p) < 1e-12 * Math.max(1, p / (1 - p)),
        `p=${p}`,
      );
    }
    for (const ms of [500, 5_000, 17_600, 60_000]) {
      assert.ok(Math.abs(model.quantile(model.cdf(ms)) / ms - 1) < 1e-9, `ms=${ms}`);
    }
    assert.equal(model.cdf(0), 0);
    assert.equal(model.cdf(-5), 0);
    assert.equal(model.quantile(0), 0);
    assert.equal(model.quantile(1), Infinity);
    assert.throws(() => model.quantile(1.5), RangeError);
  });

  test('conditionalDone: 0 up to since, the cdf from 0, rising to 1', () => {
    assert.equal(model.conditionalDone(10_000, 10_000), 0);
    assert.equal(model.conditionalDone(10_000, 5_000), 0);
    for (const age of [1_000, 17_600, 40_000]) {
      assert.ok(Math.abs(model.conditionalDone(0, age) - model.cdf(age)) < 1e-15);
    }
    for (const since of [0, 5_000, 20_000, 100_000, 1e7]) {
      let previous = 0;
      for (let age = since + 100; age < since * 3 + 200_000; age *= 1.3) {
        const p = model.conditionalDone(since, age);
        assert.ok(p >= previous && p <= 1, `since ${since}, age ${age}: ${p} after ${previous}`);
        previous = p;
      }
      assert.ok(previous > 0.5, `since ${since}: only ${previous} by the end`);
      // Bayes: P(since < T <= age) / P(T > since), checked where plain arithmetic is exact enough.
      if (since <= 20_000) {
        const age = since + 7_000;
        const direct = (model.cdf(age) - model.cdf(since)) / (1 - model.cdf(since));
        assert.ok(Math.abs(model.conditionalDone(since, age) - direct) < 1e-12);
      }
    }
  });

  test('timeToReach inverts conditionalDone, even far in the tail', () => {
    // 1e7 ms is 21 sigma out, where P(T > since) is ~1e-100; 3e11 ms is 42 sigma, past underflow.
    for (const since of [0, 3_000, 17_600, 60_000, 1e7, 3e11]) {
      for (const p of [0.05, 0.5, 0.65, 0.9, 0.999]) {
        const age = model.timeToReach(since, p);
        assert.ok(age > since, `since ${since}, p ${p}: ${age}`);
        assert.ok(Math.abs(model.conditionalDone(since, age) - p) < 1e-9, `since ${since}, p ${p}`);
      }
    }
    assert.ok(Math.abs(model.timeToReach(0, 0.5) - 17_600) < 1e-9);
    assert.equal(model.timeToReach(5_000, 0), 5_000);
    assert.equal(model.timeToReach(5_000, 1), Infinity);
  });

  test('partialMeanMs integrates t f(t); over (0, Infinity) it is the mean', () => {
    assert.ok(Math.abs(model.partialMeanMs(0, Infinity) / model.meanMs - 1) < 1e-12);
    const cuts = [0, 8_000, 15_000, 25_000, 35_000, 90_000, Infinity];
    let total = 0;
    for (let i = 1; i < cuts.length; i++)
      total += model.partialMeanMs(cuts[i - 1] ?? 0, cuts[i] ?? 0);
    assert.ok(Math.abs(total / model.meanMs - 1) < 1e-12);
    // Midpoint rule over (15 s, 25 s] against the closed form.
    let numeric = 0;
    const steps = 10_000;
    const h = 10_000 / steps;
    for (let i = 0; i < steps; i++) {
      const t = 15_000 + (i + 0.5) * h;
      numeric += t * (model.cdf(t + h / 2) - model.cdf(t - h / 2));
    }
    assert.ok(Math.abs(model.partialMeanMs(15_000, 25_000) / numeric - 1) < 1e-6);
    assert.equal(model.partialMeanMs(25_000, 15_000), 0);
  });

  test('rejects parameters that describe no distribution', () => {
    assert.throws(() => new LogNormalSolveTime(NaN, 1), RangeError);
    assert.throws(() => new LogNormalSolveTime(1, 0), RangeError);
    assert.throws(() => LogNormalSolveTime.fromMedian(0, 0.5), RangeError);
  });
});
