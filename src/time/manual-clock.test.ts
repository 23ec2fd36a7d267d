import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortError } from '../errors/abort-error.js';
import { ManualClock } from './manual-clock.js';
import { scaledClock } from './scaled-clock.js';
import { seededRandom } from './random.js';

describe('ManualClock', () => {
  test('fires sleeps in time order, FIFO at equal times, only when advanced', async () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    void clock.sleep(300).then(() => fired.push('c@' + clock.now()));
    void clock.sleep(100).then(() => fired.push('a@' + clock.now()));
    void clock.sleep(100).then(() => fired.push('b@' + clock.now()));
    await clock.advance(99);
    assert.deepEqual(fired, []);
    await clock.advance(1);
    assert.deepEqual(fired, ['a@1100', 'b@1100']);
    await clock.advance(500);
    assert.deepEqual(fired, ['a@1100', 'b@1100', 'c@1300']);
    assert.equal(clock.now(), 1600);
  });

  test('timers set by fired timers within the window also fire', async () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        fired.push(clock.now());
      }
    })();
    await clock.advance(30);
    assert.deepEqual(fired, [10, 20, 30]);
  });

  test('abort rejects with AbortError carrying the reason and removes the timer', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    assert.equal(clock.pendingTimers, 1);
    controller.abort('stop');
    await assert.rejects(sleeping, (e: unknown) => e instanceof AbortError && e.cause === 'stop');
    assert.equal(clock.pendingTimers, 0);
    await assert.rejects(clock.sleep(1, controller.signal), AbortError);
  });

  test('runUntil jumps between timers and detects deadlock and overrun', async () => {
    const clock = new ManualClock();
    const value = await clock.runUntil(
      (async () => {
        await clock.sleep(60_000);
        await clock.sleep(60_000);
        return 'done';
      })(),
    );
    assert.equal(value, 'done');
    assert.equal(clock.now(), 120_000);
    await assert.rejects(clock.runUntil(new Promise(() => undefined)), /no timers left/);
    await assert.rejects(clock.runUntil(clock.sleep(10_000), 5_000), /still pending/);
  });
});

describe('scaledClock', () => {
  test('shrinks sleeps and stretches elapsed time by the same factor', async () => {
    const base = new ManualClock(0);
    const fast = scaledClock(base, 20);
    let woke = false;
    void fast.sleep(20_000).then(() => (woke = true));
    await base.advance(999);
    assert.equal(woke, false);
    await base.advance(1);
    assert.equal(woke, true);
    assert.equal(fast.now(), 20_000);
    assert.throws(() => scaledClock(base, 0), RangeError);
  });

  test('two scaled clocks read alike only from a shared origin', async () => {
    const base = new ManualClock(1_000);
    const first = scaledClock(base, 50);
    await base.advance(300);
    const own = scaledClock(base, 50);
    const shared = scaledClock(base, 50, 1_000);
    assert.equal(first.now() - own.now(), 300 * 49, 'a moment later, seconds apart at ×50');
    assert.equal(shared.now(), first.now());
  });
});

describe('seededRandom', () => {
  test('is reproducible and uniform enough', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    assert.deepEqual(
      xs.slice(0, 5),
      Array.from({ length: 5 }, () => b()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  });
});
