import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flushMicrotasks, ManualClock } from '../time/manual-clock.js';
import { OutageBreaker, TrialFailed, type BreakerChange } from './outage-breaker.js';

const OPTIONS = { threshold: 3, baseMs: 1_000, capMs: 30_000 };

function breaker(random = () => 0.5) {
  const clock = new ManualClock(0);
  const changes: BreakerChange[] = [];
  const b = new OutageBreaker(clock, random, OPTIONS, (change) => changes.push(change));
  return { clock, b, changes };
}

/** Starts `n` admissions and reports which resolved (true: as the trial). */
function admitMany(b: OutageBreaker, n: number, signal?: AbortSignal) {
  const settled: Array<boolean | 'aborted' | undefined> = Array.from({ length: n });
  for (let i = 0; i < n; i++) {
    b.admit(signal).then(
      (trial) => (settled[i] = trial),
      () => (settled[i] = 'aborted'),
    );
  }
  return settled;
}

test('failures below the threshold, or broken by a good answer, never stop a request', async () => {
  const { b, changes } = breaker();
  b.failed();
  b.failed();
  b.succeeded();
  b.failed();
  b.failed();
  assert.equal(b.state, 'closed');
  const settled = admitMany(b, 3);
  await flushMicrotasks();
  assert.deepEqual(settled, [false, false, false]);
  assert.deepEqual(changes, []);
});

test('failures in a row open it: requests wait, one trial goes after the pause, a good answer lets all go', async () => {
  const { clock, b, changes } = breaker();
  for (let i = 0; i < 3; i++) b.failed();
  assert.equal(b.state, 'open');
  // Equal jitter at the first level: between 500 and 1,000 ms (random 0.5: 750).
  assert.deepEqual(changes, [{ state: 'open', pauseMs: 750, failures: 3 }]);
  const settled = admitMany(b, 4);
  await clock.advance(749);
  assert.deepEqual(settled, [undefined, undefined, undefined, undefined]);
  await clock.advance(1);
  assert.equal(b.state, 'half-open');
  assert.deepEqual(settled, [true, undefined, undefined, undefined]);
  b.succeeded();
  await flushMicrotasks();
  assert.equal(b.state, 'closed');
  assert.deepEqual(settled, [true, false, false, false]);
});

test('a failed trial opens it again for twice as long, up to the cap', async () => {
  const { clock, b, changes } = breaker(() => 0);
  for (let i = 0; i < 3; i++) b.failed();
  const pauses = [];
  for (let round = 0; round < 8; round++) {
    const settled = admitMany(b, 1);
    await clock.advance(60_000);
    assert.equal(settled[0], true, `round ${round}: the waiter goes as the trial`);
    b.failed();
    pauses.push(changes[changes.length - 1]?.pauseMs);
  }
  // random 0: half the ceiling each time: 1 s, 2 s, 4 s ... capped at 30 s.
  assert.deepEqual(changes[0]?.pauseMs, 500);
  assert.deepEqual(pauses, [1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000, 15_000]);
});

test('a failed trial answers every request waiting behind it, unsent, with its failure', async () => {
  const { clock, b } = breaker();
  for (let i = 0; i < 3; i++) b.failed();
  const errors: unknown[] = [];
  const trials: boolean[] = [];
  for (let i = 0; i < 3; i++)
    b.admit().then(
      (t) => trials.push(t),
      (e: unknown) => errors.push(e),
    );
  await clock.advance(1_000);
  assert.deepEqual(trials, [true]);
  const failure = new Error('502');
  b.failed(failure);
  await flushMicrotasks();
  assert.equal(errors.length, 2);
  for (const error of errors) {
    assert.ok(error instanceof TrialFailed);
    assert.equal(error.failure, failure);
  }
  assert.equal(b.state, 'open');
  assert.equal(b.waiting, 0);
});

test('failures of requests sent before it opened do not lengthen the pause', async () => {
  const { clock, b, changes } = breaker();
  for (let i = 0; i < 10; i++) b.failed();
  assert.equal(changes.length, 1);
  const settled = admitMany(b, 1);
  await clock.advance(750);
  assert.deepEqual(settled, [true]);
});

test('an aborted trial hands the trial to the next waiter; an aborted waiter leaves the queue', async () => {
  const { clock, b } = breaker();
  for (let i = 0; i < 3; i++) b.failed();
  const gone = new AbortController();
  const first = admitMany(b, 1);
  const aborted = admitMany(b, 1, gone.signal);
  const third = admitMany(b, 1);
  gone.abort();
  await clock.advance(1_000);
  assert.deepEqual([first[0], aborted[0], third[0]], [true, 'aborted', undefined]);
  assert.equal(b.waiting, 1);
  b.abandoned();
  await flushMicrotasks();
  assert.equal(third[0], true);
});

test('close rejects every waiter', async () => {
  const { b } = breaker();
  for (let i = 0; i < 3; i++) b.failed();
  const settled = admitMany(b, 2);
  b.close();
  await flushMicrotasks();
  assert.deepEqual(settled, ['aborted', 'aborted']);
});
