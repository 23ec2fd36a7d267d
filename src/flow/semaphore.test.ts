import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortError } from '../errors/abort-error.js';
import { flushMicrotasks } from '../time/manual-clock.js';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  test('admits up to the limit and then in FIFO order', async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) void s.acquire().then(() => order.push(i));
    await flushMicrotasks();
    assert.deepEqual(order, [0, 1]);
    assert.equal(s.waiting, 3);
    s.release();
    await flushMicrotasks();
    assert.deepEqual(order, [0, 1, 2]);
    s.setLimit(4);
    await flushMicrotasks();
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.equal(s.inUse, 4);
  });

  test('an aborted waiter leaves the queue and does not take a permit', async () => {
    const s = new Semaphore(1);
    await s.acquire();
    const controller = new AbortController();
    const waiting = s.acquire(controller.signal);
    controller.abort('bye');
    await assert.rejects(waiting, AbortError);
    s.release();
    assert.equal(s.inUse, 0);
    assert.equal(s.waiting, 0);
  });
});
