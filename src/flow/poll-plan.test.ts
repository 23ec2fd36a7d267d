import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_SINGLE_POLL_POLICY,
  firstPollAge,
  nextSinglePollAge,
  pollBudgetSpacing,
  singlePollSchedule,
} from './poll-plan.js';
import { LogNormalSolveTime } from './solve-time-log-normal.js';

const model = LogNormalSolveTime.fromMedian(17_600, 0.5);

describe('firstPollAge', () => {
  test('waits for the early quantile, 5 % by default, and respects the floor', () => {
    assert.ok(Math.abs(firstPollAge(model, { minMs: 1000 }) - model.quantile(0.05)) < 1e-9);
    assert.ok(
      Math.abs(firstPollAge(model, { minMs: 1000, earlyQuantile: 0.2 }) - model.quantile(0.2)) <
        1e-9,
    );
    assert.equal(firstPollAge(model, { minMs: 15_000 }), 15_000);
    assert.throws(() => firstPollAge(model, { minMs: 0, earlyQuantile: 1 }), /earlyQuantile/);
  });
});

describe('nextSinglePollAge', () => {
  const gaps = { minGapMs: 2_000, maxGapMs: 60_000 };

  test('polls when the task is probably done, given it was not at the last poll', () => {
    const first = nextSinglePollAge(model, 0, { targetProbability: 0.65, ...gaps });
    assert.ok(Math.abs(model.cdf(first) - 0.65) < 1e-9);
    const second = nextSinglePollAge(model, first, { targetProbability: 0.8, ...gaps });
    assert.ok(Math.abs(model.conditionalDone(first, second) - 0.8) < 1e-9);
  });

  test('clamps the gap to [minGap, maxGap]', () => {
    // A task already 200 s old is in the tail: the model would wait long; maxGap caps it.
    assert.equal(
      nextSinglePollAge(model, 200_000, {
        targetProbability: 0.99,
        minGapMs: 1000,
        maxGapMs: 5000,
      }),
      205_000,
    );
    assert.equal(
      nextSinglePollAge(model, 0, { targetProbability: 0.01, minGapMs: 12_000, maxGapMs: 60_000 }),
      12_000,
    );
  });

  test('rejects targets and gaps that plan nothing', () => {
    assert.throws(
      () => nextSinglePollAge(model, 0, { targetProbability: 1, ...gaps }),
      /targetProbability/,
    );
    assert.throws(
      () => nextSinglePollAge(model, 0, { targetProbability: 0.5, minGapMs: 0, maxGapMs: 1 }),
      /minGapMs/,
    );
    assert.throws(
      () => nextSinglePollAge(model, 0, { targetProbability: 0.5, minGapMs: 5, maxGapMs: 1 }),
      /maxGapMs/,
    );
  });
});

describe('singlePollSchedule', () => {
  test('uses the rising targets in order, then repeats the last', () => {
    const schedule = singlePollSchedule(model);
    const targets = DEFAULT_SINGLE_POLL_POLICY.targets;
    let last = 0;
    for (let k = 0; k < 5; k++) {
      const age = schedule(last, k);
      const expected = targets[Math.min(k, targets.length - 1)] ?? 0;
      const gap = age - last;
      if (gap > DEFAULT_SINGLE_POLL_POLICY.minGapMs && gap < DEFAULT_SINGLE_POLL_POLICY.maxGapMs) {
        assert.ok(Math.abs(model.conditionalDone(last, age) - expected) < 1e-9, `poll ${k}`);
      }
      last = age;
    }
  });

  test('a poll budget stretches the gaps so it lasts until the timeout', () => {
    // Eager targets would poll every 2 s; 20 polls in 180 s forces at least 9 s apart.
    const budget = { polls: 20, timeoutMs: 180_000 };
    const schedule = singlePollSchedule(model, { targets: [0.05], budget });
    const ages: number[] = [];
    let last = 0;
    while (last < budget.timeoutMs && ages.length <= budget.polls) {
      last = schedule(last, ages.length);
      ages.push(last);
    }
    assert.ok(ages.length <= budget.polls, `${ages.length} polls before the timeout`);
    assert.ok((ages.at(-1) ?? 0) >= budget.timeoutMs);
    // Once the budget is spent the schedule makes no further poll.
    assert.equal(schedule(100_000, 20), Infinity);
  });

  test('rejects an empty target list', () => {
    assert.throws(() => singlePollSchedule(model, { targets: [] }), /targets/);
  });
});

describe('pollBudgetSpacing', () => {
  test('spreads the remaining polls over the remaining time', () => {
    assert.equal(pollBudgetSpacing(20, 180_000), 9_000);
    assert.equal(pollBudgetSpacing(3, 10_000), 3_334);
    assert.equal(pollBudgetSpacing(5, 0), 0);
    assert.equal(pollBudgetSpacing(5, -100), 0);
    assert.equal(pollBudgetSpacing(0, 10_000), Infinity);
    assert.throws(() => pollBudgetSpacing(NaN, 1), RangeError);
  });

  test('polls spaced at least that far apart never exhaust the budget before the timeout', () => {
    for (const [budget, time] of [
      [20, 180_000],
      [7, 12_345],
      [1, 999],
      [13, 300_001],
    ] as const) {
      const gap = pollBudgetSpacing(budget, time);
      assert.ok(budget * gap >= time, `${budget} polls every ${gap} ms end before ${time} ms`);
      assert.ok((budget - 1) * gap < time, `gap ${gap} is wider than needed`);
    }
  });
});
