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

const close = (a: number, b: number, what = '') =>
  assert.ok(Math.abs(a - b) < 1e-6, `${what} ${a} vs ${b}`);

test('BatchCadence spends pollsPerSolve requests per completion, clamped to the poll interval', () => {
  const { cadence, meanMs } = setup(20);
  // 20 in flight complete at 20 / meanMs; one batch per 0.5 of them
  close(cadence.intervalMs(), meanMs / 10);
  assert.ok(meanMs / 10 > 1_000 && meanMs / 10 < 5_000);
  close(cadence.intervalMs(0.045), 2 * 0.045 * meanMs, 'lagFraction caps it');
  const one = setup(1);
  assert.equal(one.cadence.intervalMs(), 5_000, 'never longer than pollIntervalMs');
  one.cadence.remove('image');
  assert.equal(one.cadence.intervalMs(), 5_000, 'nothing in flight');
});

test('while the rate binds, 0.03 polls per solve, up to 6 poll intervals, lag ignored', () => {
  const { cadence, state, meanMs } = setup(20);
  state.bound = true;
  close(cadence.intervalMs(), meanMs / (0.03 * 20));
  close(cadence.intervalMs(0.045), meanMs / (0.03 * 20));
  const one = setup(1);
  one.state.bound = true;
  assert.equal(one.cadence.intervalMs(), 30_000);
  state.bound = false;
  close(cadence.intervalMs(), meanMs / 10);
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
