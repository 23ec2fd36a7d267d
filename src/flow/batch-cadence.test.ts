import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchCadence } from './batch-cadence.js';
import { SolveTimeRegistry } from './solve-time-registry.js';

function setup(tasks: number) {
  const models = new SolveTimeRegistry(() => 10_000);
  const state = { bound: false };
  const cadence = new BatchCadence(models, {
    maxBatchSize: 100,
    pollIntervalMs: 5_000,
    pollsPerSolve: 0.5,
    rateBound: () => state.bound,
  });
  for (let i = 0; i < tasks; i++) cadence.add('image');
  return { cadence, state, meanMs: models.get('image').meanMs };
}

const close = (a: number, b: number, what = '', tolerance = 1e-6) =>
  assert.ok(Math.abs(a - b) < tolerance, `${what} ${a} vs ${b}`);

/**
 * The interval I at which `count` tasks out, each held for its solve and then half an interval
 * until collected, complete `pollsPerSolve` times per batch poll: I = k (mean + I / 2) with
 * k = 1 / (pollsPerSolve * count), solved exactly.
 */
const littleInterval = (meanMs: number, count: number, pollsPerSolve: number) => {
  const k = 1 / (pollsPerSolve * count);
  return (k * meanMs) / (1 - k / 2);
};

test('BatchCadence spends pollsPerSolve requests per completion, clamped to the poll interval', () => {
  const { cadence, meanMs } = setup(20);
  // 20 out complete at 20 / (meanMs + I / 2): each waits half an interval for its poll once done.
  // Counted over the solve alone (meanMs / 10) polls would come 5 % more often than asked.
  const interval = littleInterval(meanMs, 20, 0.5);
  close(cadence.intervalMs(), interval, 'fixed point', 0.5);
  assert.ok(interval > (meanMs / 10) * 1.04 && interval > 1_000 && interval < 5_000);
  close(cadence.intervalMs(0.045), 2 * 0.045 * meanMs, 'lagFraction caps it');
  const one = setup(1);
  assert.equal(one.cadence.intervalMs(), 5_000, 'never longer than pollIntervalMs');
  one.cadence.remove('image');
  assert.equal(one.cadence.intervalMs(), 5_000, 'nothing in flight');
});

test('while the rate binds, 0.03 polls per solve, up to 6 poll intervals, lag ignored', () => {
  const { cadence, state, meanMs } = setup(20);
  state.bound = true;
  assert.equal(cadence.intervalMs(), 30_000, 'ten solve times at 20 out: the stretch caps it');
  const many = setup(100);
  many.state.bound = true;
  const interval = littleInterval(meanMs, 100, 0.03);
  assert.ok(interval < 30_000);
  close(many.cadence.intervalMs(), interval, 'fixed point', interval * 1e-3);
  close(many.cadence.intervalMs(0.045), interval, 'lag ignored', interval * 1e-3);
  state.bound = false;
  close(cadence.intervalMs(), littleInterval(meanMs, 20, 0.5), 'unbound again', 0.5);
});

test('nextAt keeps one interval between batch polls only while the rate binds', () => {
  const { cadence, state } = setup(20);
  assert.equal(cadence.nextAt(1_000), 1_000, 'nothing sent yet');
  cadence.sent(1_000);
  assert.equal(cadence.nextAt(2_000), 2_000, 'unbound: the earliest due task sets the time');
  state.bound = true;
  const interval = cadence.intervalMs();
  close(cadence.nextAt(2_000), 1_000 + interval);
  assert.equal(cadence.nextAt(1_000 + interval + 5), 1_000 + interval + 5, 'a later due time wins');
  cadence.sent(30_000);
  close(cadence.nextAt(30_001), 30_000 + interval);
});
