import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  collectGapMs,
  collectPollSchedule,
  collectPrice,
  lagIntegral,
} from './poll-plan-collect.js';
import { expectedPolls } from './poll-plan-evaluate.js';
import { singlePollSchedule } from './poll-plan.js';
import { LogNormalSolveTime, type SolveTimeDistribution } from './solve-time-log-normal.js';

/** A log-normal with the given mean (ms) and sigma. */
function withMean(meanMs: number, sigma: number): LogNormalSolveTime {
  return LogNormalSolveTime.fromMedian(meanMs / Math.exp((sigma * sigma) / 2), sigma);
}

const GAPS = { minGapMs: 500, maxGapMs: 10_000 };

describe('collectPollSchedule', () => {
  test('keeps the expected lag at the chosen share of the mean solve time', (t) => {
    for (const [meanMs, sigma] of [
      [20_000, 0.5],
      [20_000, 1.0],
      [20_000, 0.3],
      [60_000, 0.6],
    ] as const) {
      const truth = withMean(meanMs, sigma);
      for (const lagFraction of [0.02, 0.04, 0.08]) {
        const result = expectedPolls(truth, collectPollSchedule(truth, { lagFraction, ...GAPS }), {
          timeoutMs: 300_000,
        });
        const share = result.lagMs / meanMs;
        t.diagnostic(
          `mean ${meanMs}, sigma ${sigma}, aim ${lagFraction}: lag ${share.toFixed(4)}, polls ${result.polls.toFixed(2)}`,
        );
        assert.ok(
          Math.abs(share - lagFraction) < 0.1 * lagFraction,
          `lag share ${share} for ${lagFraction}`,
        );
      }
    }
  });

  test('trades requests for lag explicitly: the default (4 %) against the case-A schedule', (t) => {
    const truth = withMean(20_000, 0.5);
    const collect = expectedPolls(truth, collectPollSchedule(truth, GAPS), { timeoutMs: 300_000 });
    const solve = expectedPolls(truth, singlePollSchedule(truth), { timeoutMs: 300_000 });
    t.diagnostic(
      `collect: ${collect.polls.toFixed(2)} polls, lag ${collect.lagMs.toFixed(0)} ms; solve: ${solve.polls.toFixed(2)} polls, lag ${solve.lagMs.toFixed(0)} ms`,
    );
    assert.ok(collect.lagMs < 850 && collect.lagMs > 750, `lag ${collect.lagMs}`);
    assert.ok(solve.lagMs > 10 * collect.lagMs);
    // Under 10 polls a task: the lag of fixed 2 s polls from the 5 % quantile for fewer polls.
    assert.ok(collect.polls < 10, `${collect.polls} polls`);
    const fixed = expectedPolls(truth, (last) => Math.max(last + 2_000, truth.quantile(0.05)), {
      timeoutMs: 300_000,
    });
    assert.ok(
      collect.polls + collect.lagMs / 100 < fixed.polls + fixed.lagMs / 100,
      'cheaper at 100 ms of lag per poll',
    );
  });

  test('follows the model when it moves: a distribution twice as slow gets gaps twice as long', () => {
    let current: SolveTimeDistribution = withMean(20_000, 0.5);
    const model: SolveTimeDistribution = {
      cdf: (ms) => current.cdf(ms),
      quantile: (p) => current.quantile(p),
      conditionalDone: (a, b) => current.conditionalDone(a, b),
      timeToReach: (a, p) => current.timeToReach(a, p),
      partialMeanMs: (a, b) => current.partialMeanMs(a, b),
    };
    const schedule = collectPollSchedule(model, { minGapMs: 1, maxGapMs: 1e9 });
    const before = schedule(0, 0);
    current = withMean(40_000, 0.5);
    assert.ok(
      Math.abs(schedule(0, 0) / before - 2) < 0.01,
      `first poll ${before} then ${schedule(0, 0)}`,
    );
  });

  test('spends no more than the budget before its quantile, at no more lag than that needs', () => {
    const truth = withMean(20_000, 0.5);
    const policy = { ...GAPS, budget: { polls: 10 } };
    const schedule = collectPollSchedule(truth, policy);
    let age = 0;
    let polls = 0;
    while (age < truth.quantile(0.95)) {
      age = schedule(age, polls);
      polls++;
    }
    assert.ok(polls <= 10, `${polls} polls to the 95 % quantile`);
    const price = collectPrice(truth, policy);
    assert.ok(price > collectPrice(truth, GAPS), 'the budget binds here');
    let cheaper = 0;
    for (age = 0; age < truth.quantile(0.95); cheaper++)
      age += collectGapMs(truth, age, price / 1.1, GAPS.minGapMs, GAPS.maxGapMs);
    assert.ok(cheaper > 10, 'a lower price would break the budget');
  });

  test('rejects a lag share or gaps that plan nothing', () => {
    const truth = withMean(20_000, 0.5);
    assert.throws(() => collectPrice(truth, { lagFraction: 0, ...GAPS }), /lagFraction/);
    assert.throws(() => collectPollSchedule(truth, { minGapMs: 0, maxGapMs: 1 }), /minGapMs/);
  });
});

describe('collectGapMs', () => {
  const truth = withMean(20_000, 0.5);

  test('solves gap · P(done within the gap) = price, shortest where the hazard is high', () => {
    const price = 200;
    for (const age of [0, 10_000, 20_000, 40_000]) {
      const gap = collectGapMs(truth, age, price, 1, 1e9);
      assert.ok(
        Math.abs(gap * truth.conditionalDone(age, age + gap) - price) < 0.002 * price,
        `age ${age}`,
      );
    }
    const early = collectGapMs(truth, 5_000, price, 1, 1e9);
    const peak = collectGapMs(truth, 20_000, price, 1, 1e9);
    assert.ok(peak < early / 2, `gap ${peak} at 20 s, ${early} at 5 s`);
  });

  test('clamps to [minGap, maxGap]', () => {
    assert.equal(collectGapMs(truth, 0, 1e6, 500, 10_000), 10_000);
    assert.equal(collectGapMs(truth, 20_000, 1e-6, 500, 10_000), 500);
  });
});

describe('lagIntegral', () => {
  test('scales with the square root of the time scale (sqrt(ms) units)', () => {
    const ratio = lagIntegral(withMean(80_000, 0.5)) / lagIntegral(withMean(20_000, 0.5));
    assert.ok(Math.abs(ratio - 2) < 1e-3, `ratio ${ratio}`);
  });
});
