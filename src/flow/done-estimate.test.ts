import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DoneEstimator, freshDoneState, type DoneCandidate } from './done-estimate.js';
import { LogNormalSolveTime } from './solve-time-log-normal.js';

const FIT = new LogNormalSolveTime(Math.log(17_600), 0.5);

function candidate(acceptedAt: number, samples = 500): DoneCandidate {
  return {
    acceptedAt,
    lastNotReadyAge: 0,
    ...freshDoneState(),
    model: { snapshot: () => FIT, samples },
  };
}

/** 40 tasks accepted one a second: at 40 s their chances of having finished span 0 to ~0.9. */
function fleet(): DoneCandidate[] {
  return Array.from({ length: 40 }, (_, i) => candidate(i * 1_000));
}

describe('DoneEstimator', () => {
  test('a measured count moves the estimate as a Gaussian posterior would, most where doubt is', () => {
    const tasks = fleet();
    const estimator = new DoneEstimator();
    estimator.refresh(tasks, 40_000);
    const before = estimator.estimateAt(40_000);
    const shares = tasks.map((t) => t.pDone);
    const measured = before.mean - 4;
    estimator.condition(tasks, 40_000, measured, 1);
    const after = estimator.estimateAt(40_000);
    const expected =
      before.mean + (before.variance / (before.variance + 1)) * (measured - before.mean);
    assert.ok(Math.abs(after.mean - expected) < 0.01, `mean ${after.mean}, posterior ${expected}`);
    assert.ok(
      Math.abs((after.shifted ?? 0) - (expected - before.mean)) < 0.01,
      `shifted ${after.shifted}`,
    );
    // The task nearest even odds gives up the most; a task all but certain either way hardly moves.
    const moved = tasks.map((t, i) => (shares[i] ?? 0) - t.pDone);
    const even = shares.reduce(
      (best, p, i) => (Math.abs(p - 0.5) < Math.abs((shares[best] ?? 0) - 0.5) ? i : best),
      0,
    );
    const surest = shares.reduce((best, p, i) => (p > (shares[best] ?? 0) ? i : best), 0);
    assert.ok(
      (moved[even] ?? 0) > 2 * (moved[surest] ?? 0),
      `moved ${moved[even]} vs ${moved[surest]}`,
    );
  });

  test('the correction fades as the tasks it doubted would have finished anyway, and goes with a poll', () => {
    const tasks = fleet();
    const estimator = new DoneEstimator();
    estimator.refresh(tasks, 40_000);
    const model = estimator.estimateAt(40_000).mean;
    estimator.condition(tasks, 40_000, model - 4, 1);
    const held = estimator.estimateAt(40_000).shifted ?? 0;
    assert.ok(held < -3);
    estimator.refresh(tasks, 70_000);
    const later = estimator.estimateAt(70_000).shifted ?? 0;
    assert.ok(later > held / 3 && later < 0, `shifted ${held} -> ${later}`);
    // Seen unfinished: the task's share and its part of the correction both go.
    const polled = tasks.find((t) => t.pDone !== t.pModel);
    assert.ok(polled);
    const part = polled.pDone - polled.pModel;
    estimator.drop(polled);
    assert.ok(Math.abs((estimator.estimateAt(70_000).shifted ?? 0) - (later - part)) < 1e-9);
    assert.equal(polled.shift, 0);
  });

  test('tasks of a method seen too few times are counted as unreadable, not as unfinished', () => {
    const tasks = [...fleet(), candidate(0, 5), candidate(1_000, 5)];
    const estimator = new DoneEstimator();
    estimator.refresh(tasks, 40_000);
    assert.equal(estimator.estimateAt(40_000).unknown, 2);
  });
});
