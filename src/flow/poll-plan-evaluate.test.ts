import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seededRandom } from '../time/random.js';
import { normalQuantile } from './normal-distribution.js';
import { expectedPolls } from './poll-plan-evaluate.js';
import { type PollSchedule, singlePollSchedule } from './poll-plan.js';
import { LogNormalSolveTime } from './solve-time-log-normal.js';
import { SolveTimeModel } from './solve-time-model.js';

const truth = LogNormalSolveTime.fromMedian(17_600, 0.5);

/** Polls one task through `schedule`; returns [polls, lag, last not-ready age, ready age]. */
function pollTask(schedule: PollSchedule, solvedMs: number): [number, number, number, number] {
  let last = 0;
  for (let polls = 1; ; polls++) {
    const age = schedule(last, polls - 1);
    if (solvedMs <= age) return [polls, age - solvedMs, last, age];
    last = age;
  }
}

describe('expectedPolls', () => {
  test('the default single-poll policy averages at most 1.5 polls per task (log-normal, sigma 0.5)', (t) => {
    const result = expectedPolls(truth, singlePollSchedule(truth), { timeoutMs: 180_000 });
    const ages = result.pollAgesMs.slice(0, 4).map((age) => (age / 1000).toFixed(1));
    t.diagnostic(
      `polls ${result.polls.toFixed(3)}, lag ${(result.lagMs / 1000).toFixed(2)} s, ages ${ages.join(', ')} s`,
    );
    assert.ok(result.polls <= 1.5, `${result.polls} polls per task`);
    // 35 % of tasks need a 2nd poll: at least 1.35 polls.
    assert.ok(result.polls >= 1.35);
    assert.ok(result.lagMs > 5_000 && result.lagMs < 12_000, `lag ${result.lagMs}`);
    assert.ok(result.missProbability < 1e-5);
  });

  test('for contrast, batch-style polling every 2 s from the 5 % quantile: low lag, many polls', (t) => {
    const schedule: PollSchedule = (last) => Math.max(last + 2_000, truth.quantile(0.05));
    const result = expectedPolls(truth, schedule, { timeoutMs: 180_000 });
    t.diagnostic(`polls ${result.polls.toFixed(2)}, lag ${(result.lagMs / 1000).toFixed(2)} s`);
    assert.ok(result.polls > 5 && result.lagMs < 1_100);
  });

  test('agrees with a Monte Carlo run of the same schedule', () => {
    const schedule = singlePollSchedule(truth);
    const exact = expectedPolls(truth, schedule);
    const random = seededRandom(77);
    const n = 50_000;
    let polls = 0;
    let lag = 0;
    for (let i = 0; i < n; i++) {
      const solved = truth.medianMs * Math.exp(truth.sigma * normalQuantile(1 - random()));
      const [p, l] = pollTask(schedule, solved);
      polls += p / n;
      lag += l / n;
    }
    assert.ok(Math.abs(polls / exact.polls - 1) < 0.01, `sampled ${polls} vs ${exact.polls}`);
    assert.ok(Math.abs(lag / exact.lagMs - 1) < 0.02, `sampled ${lag} vs ${exact.lagMs}`);
  });

  test('stops at the timeout and reports the tasks it never saw', () => {
    const every5s: PollSchedule = (last) => last + 5_000;
    const result = expectedPolls(truth, every5s, { timeoutMs: 22_000 });
    assert.deepEqual(result.pollAgesMs, [5_000, 10_000, 15_000, 20_000, 22_000]);
    assert.ok(Math.abs(result.missProbability - (1 - truth.cdf(22_000))) < 1e-12);
    const expected =
      1 +
      (1 - truth.cdf(5_000)) +
      (1 - truth.cdf(10_000)) +
      (1 - truth.cdf(15_000)) +
      (1 - truth.cdf(20_000));
    assert.ok(Math.abs(result.polls - expected) < 1e-12);
    assert.equal(expectedPolls(truth, every5s, { maxPolls: 2 }).pollAgesMs.length, 2);
  });

  test('rejects a schedule that does not move forward', () => {
    assert.throws(() => expectedPolls(truth, (last) => last), /ages must increase/);
  });
});

describe('the single-poll policy learning from its own polls', () => {
  test('starts from a wrong prior and converges on a schedule nearly as good as the oracle one', (t) => {
    // Median guessed x2.3 too slow, sigma 0.8 for a true 0.5; default window and prior weight.
    const model = new SolveTimeModel({ medianMs: 40_000, sigma: 0.8 });
    const schedule = singlePollSchedule(model);
    const random = seededRandom(2024);
    let recentPolls = 0;
    const tasks = 1500;
    const recent = 500;
    for (let i = 0; i < tasks; i++) {
      const solved = truth.medianMs * Math.exp(truth.sigma * normalQuantile(1 - random()));
      const [polls, , notReady, ready] = pollTask(schedule, solved);
      model.observe(notReady, ready);
      if (i >= tasks - recent) recentPolls += polls / recent;
    }
    const learned = expectedPolls(truth, singlePollSchedule(model.snapshot()));
    const oracle = expectedPolls(truth, singlePollSchedule(truth));
    t.diagnostic(
      `learned median ${model.medianMs.toFixed(0)} ms, sigma ${model.sigma.toFixed(3)}; ` +
        `last ${recent} tasks ${recentPolls.toFixed(3)} polls; learned schedule ${learned.polls.toFixed(3)} polls, ` +
        `lag ${(learned.lagMs / 1000).toFixed(2)} s; oracle ${oracle.polls.toFixed(3)} polls, ` +
        `lag ${(oracle.lagMs / 1000).toFixed(2)} s`,
    );
    assert.ok(Math.abs(model.medianMs / truth.medianMs - 1) < 0.1, `median ${model.medianMs}`);
    // One or two polls per task say little about the spread: 256 such intervals weigh about as
    // much as 25 exact times, so the 8-observation prior still holds sigma ~15 % high.
    assert.ok(model.sigma > 0.45 && model.sigma < 0.65, `sigma ${model.sigma}`);
    assert.ok(learned.polls <= 1.5);
    assert.ok(Math.abs(learned.lagMs - oracle.lagMs) < 3_000);
    assert.ok(recentPolls <= 1.6, `${recentPolls} polls per task over the last ${recent}`);
  });
});
