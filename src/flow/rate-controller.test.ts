import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortError } from '../errors/abort-error.js';
import { ManualClock } from '../time/manual-clock.js';
import { seededRandom } from '../time/random.js';
import { RateController } from './rate-controller.js';
import type { RateChangedEvent } from './rate-controller-types.js';
import type { RateControllerOptions } from './rate-controller-options.js';
import type { RatePriority } from './rate-waiter-queue.js';

function setup(options: RateControllerOptions = {}, start = 0) {
  const clock = new ManualClock(start);
  const events: RateChangedEvent[] = [];
  const controller = new RateController(options, {
    clock,
    random: seededRandom(7),
    onChange: (e) => events.push(e),
  });
  return { clock, controller, events };
}

/** `n` callers that each ask again as soon as they are let through, until the controller closes. */
function demand(controller: RateController, clock: ManualClock, n = 3): number[] {
  const sent: number[] = [];
  for (let i = 0; i < n; i++) {
    void (async () => {
      for (;;) {
        await controller.acquire('poll');
        sent.push(clock.now());
      }
    })().catch(() => undefined);
  }
  return sent;
}

/** Evenly spaced app traffic at `perSecond` for `ms`, through an unlimited controller. */
async function sendEvenly(
  controller: RateController,
  clock: ManualClock,
  perSecond: number,
  ms: number,
): Promise<void> {
  for (let t = 0; t < ms; t += 1000 / perSecond) {
    await controller.acquire('poll');
    await clock.advance(1000 / perSecond);
  }
}

describe('RateController', () => {
  test('unlimited: resolves at once with one shared promise and no timer', async () => {
    const { clock, controller } = setup();
    const first = controller.acquire('submit');
    for (let i = 1; i < 10_000; i++) assert.equal(controller.acquire('poll'), first);
    await first;
    assert.equal(clock.pendingTimers, 0);
    assert.deepEqual(controller.stats(), {
      ratePerSecond: undefined,
      waiting: 0,
      throttleEvents: 0,
      pausedUntil: 0,
      sentLastSecond: 10_000,
    });
  });

  for (const rate of [10, 3, 0.5]) {
    test(`a ceiling of ${rate}/s admits exactly that many over ten minutes, never more in any second`, async () => {
      const { clock, controller } = setup({ requestsPerSecond: rate });
      const sent = demand(controller, clock);
      await clock.advance(600_000 - 1);
      assert.equal(sent.length, rate * 600);
      for (let i = 0; i + Math.ceil(rate) < sent.length; i++) {
        assert.ok(
          (sent[i + Math.ceil(rate)] ?? 0) - (sent[i] ?? 0) >= 1000,
          `window at ${sent[i]}`,
        );
      }
      assert.equal(clock.pendingTimers, 1, 'one timer for the whole queue');
      controller.close();
    });
  }

  test('scarce tokens go by priority, then first come first served', async () => {
    const { clock, controller } = setup({ requestsPerSecond: 1 });
    await controller.acquire('account');
    const order: string[] = [];
    const ask = (p: RatePriority, name: string) =>
      void controller.acquire(p).then(() => order.push(name));
    ask('account', 'account');
    ask('poll', 'poll1');
    ask('submit', 'submit');
    ask('poll-likely', 'likely1');
    ask('poll', 'poll2');
    ask('poll-likely', 'likely2');
    assert.equal(controller.stats().waiting, 6);
    for (let s = 1; s <= 6; s++) {
      await clock.advance(1000);
      assert.equal(order.length, s);
    }
    assert.deepEqual(order, ['likely1', 'likely2', 'submit', 'poll1', 'poll2', 'account']);
    assert.equal(clock.pendingTimers, 0);
  });

  test('an aborted waiter leaves the queue at once and never spends a token', async () => {
    const { clock, controller } = setup({ requestsPerSecond: 1 });
    await controller.acquire('poll');
    const abort = new AbortController();
    const a = controller.acquire('poll-likely', abort.signal);
    let bAt = -1;
    void controller.acquire('poll').then(() => (bAt = clock.now()));
    await clock.advance(500);
    abort.abort('not needed');
    await assert.rejects(a, (e: unknown) => e instanceof AbortError && e.cause === 'not needed');
    assert.equal(controller.stats().waiting, 1);
    await clock.advance(500);
    assert.equal(bAt, 1000);
    const c = new AbortController();
    const lone = controller.acquire('poll', c.signal);
    c.abort();
    await assert.rejects(lone, AbortError);
    assert.equal(clock.pendingTimers, 0, 'the head timer goes with the last waiter');
    await assert.rejects(controller.acquire('poll', c.signal), AbortError);
  });

  test('a slow start paces the first requests and doubles their rate while they wait', async () => {
    const { clock, controller } = setup({ slowStartRate: 10, slowStartDoublingMs: 250 });
    let released = 0;
    for (let i = 0; i < 2_000; i++) void controller.acquire('poll').then(() => released++);
    await clock.advance(1_000);
    // 10/s doubling every 250 ms: the integral of 10 * 2^(4t) over a second, about 54 requests
    assert.ok(released >= 48 && released <= 60, `${released} in the first second`);
    await clock.advance(1_000);
    assert.equal(released, 2_000, 'past 1,000/s the rest go unpaced');
    assert.equal(controller.stats().ratePerSecond, undefined, 'not a cut: no rate is set');
    assert.equal(controller.acquire('poll'), controller.acquire('poll'), 'the unlimited fast path');
    assert.equal(clock.pendingTimers, 0);
  });

  test('the first 429 ends a slow start and cuts from the rate it measured', async () => {
    const { clock, controller } = setup({ slowStartRate: 10, slowStartDoublingMs: 250 });
    const sent = demand(controller, clock, 50);
    await clock.advance(500);
    const atThrottle = sent.length; // about 11 in half a second: the meter reads them over 1 s
    controller.onThrottled(undefined, clock.now());
    const cut = controller.stats().ratePerSecond ?? 0;
    assert.ok(Math.abs(cut - 0.7 * atThrottle) < 1.5, `cut to ${cut} after ${atThrottle} sent`);
    await clock.advance(10_000);
    const rate = controller.stats().ratePerSecond ?? 0;
    assert.ok(
      rate < atThrottle,
      `climbs as CUBIC towards the rate cut from, not doubling: ${rate}`,
    );
    controller.close();
  });

  test('a ceiling needs no slow start: requests go at the ceiling from the first', async () => {
    const { clock, controller } = setup({ slowStartRate: 1, requestsPerSecond: 50 });
    const sent = demand(controller, clock, 50);
    await clock.advance(1_000);
    assert.ok(sent.length >= 49 && sent.length <= 51, `${sent.length}`);
    controller.close();
  });

  test('a 429 cuts to beta times the measured send rate, at most once per cooldown', async () => {
    const { clock, controller, events } = setup();
    await sendEvenly(controller, clock, 10, 3_000);
    controller.onThrottled();
    assert.ok(
      Math.abs((controller.stats().ratePerSecond ?? 0) - 7) < 1e-9,
      `${controller.stats().ratePerSecond}`,
    );
    assert.deepEqual(
      events.map((e) => e.reason),
      ['throttled'],
    );
    for (let i = 0; i < 20; i++) {
      controller.onThrottled();
      await clock.advance(999 / 20);
    }
    assert.ok(
      Math.abs((controller.stats().ratePerSecond ?? 0) - 7) < 1e-9,
      'in-flight 429s do not cut again',
    );
    assert.equal(controller.stats().throttleEvents, 21);
    await clock.advance(1000);
    controller.onThrottled();
    assert.ok((controller.stats().ratePerSecond ?? 0) < 7 * 0.7 + 1e-9);
    assert.equal(events.filter((e) => e.reason === 'throttled').length, 2);
  });

  test('CUBIC recovery takes the recovery window of rate-limited time, then holds, then probes', async () => {
    // No rate is proven yet, so the climb takes half the window: 60 s.
    const { clock, controller, events } = setup({
      recoveryWindowMs: 120_000,
      probeAfterRequests: 1_000,
    });
    await sendEvenly(controller, clock, 10, 2_000);
    controller.onThrottled();
    const start = clock.now();
    demand(controller, clock);
    const rate = () => controller.stats().ratePerSecond ?? 0;
    await clock.advance(30_000);
    // plateau 9.9 minus C (K/2)^3 with C K^3 = 9.9 - 7: well below wMax halfway
    assert.ok(Math.abs(rate() - (9.9 - 2.9 / 8)) < 0.01, `at K/2: ${rate()}`);
    await clock.advance(60_000 - (clock.now() - start));
    assert.ok(Math.abs(rate() - 10) <= 0.2, `at K: ${rate()}`);
    assert.equal(controller.stats().throttleEvents, 1);
    await clock.advance(30_000); // 1000 requests since the cut are reached near 120 s
    assert.ok(Math.abs(rate() - 9.9) < 1e-9, `holds the plateau: ${rate()}`);
    await clock.advance(60_000);
    assert.ok(rate() > 10.5, `probes above after the hold: ${rate()}`);
    const recovering = events.filter((e) => e.reason === 'recovering');
    assert.ok(
      recovering.length >= 60 && recovering.length <= 181,
      `${recovering.length} growth events in 180 s`,
    );
    controller.close();
  });

  test('app-limited time does not grow the rate', async () => {
    const { clock, controller } = setup({ recoveryWindowMs: 120_000 });
    await sendEvenly(controller, clock, 10, 2_000);
    controller.onThrottled();
    await clock.advance(120_000);
    assert.ok(Math.abs((controller.stats().ratePerSecond ?? 0) - 7) < 1e-9);
    demand(controller, clock);
    await clock.advance(30_000);
    const grown = controller.stats().ratePerSecond ?? 0;
    assert.ok(grown > 9 && grown < 9.6, `30 s of demand grow it like 30 s after the cut: ${grown}`);
    controller.close();
  });

  test('pauseFor holds every request of the account, then releases them spread by jitter', async () => {
    const { clock, controller, events } = setup({ resumeSpreadMs: 1_000 }, 10_000);
    controller.pauseFor(5_000);
    controller.pauseFor(2_000); // never shortens
    const released: Array<{ at: number; priority: RatePriority }> = [];
    const priorities: RatePriority[] = ['account', 'poll', 'submit', 'poll-likely'];
    for (let i = 0; i < 200; i++) {
      const priority = priorities[i % 4] as RatePriority;
      void controller.acquire(priority).then(() => released.push({ at: clock.now(), priority }));
    }
    await clock.advance(4_999);
    assert.equal(released.length, 0);
    assert.equal(clock.pendingTimers, 1);
    await clock.advance(1_001);
    assert.equal(released.length, 200);
    assert.ok(released.every((r) => r.at >= 15_000 && r.at <= 16_000));
    assert.ok(new Set(released.map((r) => r.at)).size >= 100, 'not all in the same millisecond');
    const ranks = released.map((r) => priorities.length - 1 - priorities.indexOf(r.priority));
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      'in priority order',
    );
    const stats = controller.stats();
    assert.equal(stats.ratePerSecond, undefined, 'a server pause does not cut the rate');
    assert.equal(stats.pausedUntil, 15_000);
    assert.equal(stats.throttleEvents, 2);
    assert.deepEqual(events[0], { ratePerSecond: undefined, reason: 'paused', pausedMs: 5_000 });
    assert.equal(clock.pendingTimers, 0);
  });

  test('a 429 with Retry-After pauses the account until then, and also cuts the rate', async () => {
    const { clock, controller } = setup({ requestsPerSecond: 10 });
    await clock.runUntil(
      Promise.all(Array.from({ length: 10 }, () => controller.acquire('submit'))),
    );
    controller.onThrottled(3_000, clock.now());
    let at = -1;
    void controller.acquire('submit').then(() => (at = clock.now()));
    await clock.advance(5_000);
    assert.ok(at >= 3_000 && at <= 4_000, `released at ${at}`);
    const rate = controller.stats().ratePerSecond ?? Infinity;
    assert.ok(rate < 10, `rate ${rate} after the 429`);
    assert.throws(() => controller.pauseFor(Number.NaN), RangeError);
  });

  test('a 429 just after a Retry-After pause cuts from the rate allowed, not the paused meter', async () => {
    const { clock, controller } = setup();
    await sendEvenly(controller, clock, 10, 3_000);
    controller.onThrottled(1_000, clock.now()); // 7/s, and a pause of a second
    const sent = demand(controller, clock, 5);
    await clock.advance(2_000);
    const allowed = controller.stats().ratePerSecond ?? 0;
    assert.ok(sent.length > 0 && allowed >= 7, `allowed ${allowed}`);
    for (let i = 0; i < sent.length; i++) controller.onAnswered(clock.now());
    // The meter's two seconds hold the pause: it reads about half of what went since.
    controller.onThrottled(undefined, clock.now());
    const cut = controller.stats().ratePerSecond ?? 0;
    assert.ok(Math.abs(cut - 0.7 * allowed) < 1e-6, `cut to ${cut} from ${allowed}`);
    controller.close();
  });

  test('429s for requests sent before the last cut do not cut again', async () => {
    const { clock, controller } = setup({ requestsPerSecond: 10 });
    await clock.runUntil(
      Promise.all(Array.from({ length: 10 }, () => controller.acquire('submit'))),
    );
    const sentBefore = clock.now();
    await clock.advance(1_500);
    controller.onThrottled(undefined, clock.now());
    const afterFirst = controller.stats().ratePerSecond;
    await clock.advance(1_500);
    controller.onThrottled(undefined, sentBefore);
    assert.equal(controller.stats().ratePerSecond, afterFirst);
  });

  test('close rejects every waiter and leaves no timer', async () => {
    const { clock, controller } = setup({ requestsPerSecond: 2 });
    const waiters = Array.from({ length: 1000 }, (_, i) =>
      controller.acquire(i % 2 ? 'poll' : 'submit'),
    );
    controller.pauseFor(10_000);
    controller.close();
    const results = await Promise.allSettled(waiters);
    assert.equal(
      results.filter((r) => r.status === 'fulfilled').length,
      1,
      'the first took the one token',
    );
    assert.ok(
      results.slice(1).every((r) => r.status === 'rejected' && r.reason instanceof AbortError),
    );
    assert.equal(clock.pendingTimers, 0);
    await assert.rejects(controller.acquire('poll'), AbortError);
    controller.close();
  });
});
