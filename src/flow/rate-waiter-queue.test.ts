import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  RATE_PRIORITIES,
  RateWaiterQueue,
  type RatePriority,
  type RateWaiter,
} from './rate-waiter-queue.js';

function waiter(priority: RatePriority, name: string, log: string[]): RateWaiter {
  return {
    lane: RateWaiterQueue.laneOf(priority),
    resolve: () => log.push(name),
    reject: () => undefined,
    signal: undefined,
    onAbort: undefined,
    queued: false,
    prev: undefined,
    next: undefined,
  };
}

test('RateWaiterQueue serves by priority then FIFO and removes from the middle in O(1)', () => {
  const queue = new RateWaiterQueue();
  const log: string[] = [];
  const all: RateWaiter[] = [];
  for (let i = 0; i < 20_000; i++) {
    const priority = RATE_PRIORITIES[(i * 7) % 4] as RatePriority;
    const w = waiter(priority, `${priority}#${i}`, log);
    all.push(w);
    queue.push(w);
  }
  for (let i = 0; i < all.length; i += 3) queue.remove(all[i] as RateWaiter);
  queue.remove(all[0] as RateWaiter); // twice is harmless
  assert.equal(queue.size, 20_000 - Math.ceil(20_000 / 3));
  for (let w = queue.peek(); w; w = queue.peek()) {
    queue.remove(w);
    w.resolve();
  }
  assert.equal(log.length, 20_000 - Math.ceil(20_000 / 3));
  const rank = (name: string) => RATE_PRIORITIES.indexOf(name.split('#')[0] as RatePriority);
  const index = (name: string) => Number(name.split('#')[1]);
  for (let i = 1; i < log.length; i++) {
    const a = log[i - 1] as string;
    const b = log[i] as string;
    assert.ok(
      rank(a) < rank(b) || (rank(a) === rank(b) && index(a) < index(b)),
      `${a} before ${b}`,
    );
  }
  assert.equal(queue.peek(), undefined);
  assert.throws(() => RateWaiterQueue.laneOf('urgent' as RatePriority), TypeError);
});

test('takeAll empties the queue in service order', () => {
  const queue = new RateWaiterQueue();
  const log: string[] = [];
  queue.push(waiter('account', 'a', log));
  queue.push(waiter('poll-likely', 'b', log));
  queue.push(waiter('poll-likely', 'c', log));
  for (const w of queue.takeAll()) w.resolve();
  assert.deepEqual(log, ['b', 'c', 'a']);
  assert.equal(queue.size, 0);
});

test('has tells whether anyone waits with a priority', () => {
  const queue = new RateWaiterQueue();
  const log: string[] = [];
  const submit = waiter('submit', 's', log);
  queue.push(waiter('poll', 'p', log));
  queue.push(submit);
  assert.deepEqual(
    RATE_PRIORITIES.map((p) => queue.has(p)),
    [false, true, true, false],
  );
  queue.remove(submit);
  assert.equal(queue.has('submit'), false);
  assert.equal(queue.has('poll'), true);
  queue.takeAll();
  assert.equal(queue.has('poll'), false);
  assert.throws(() => queue.has('urgent' as RatePriority), TypeError);
});
