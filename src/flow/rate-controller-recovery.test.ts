import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../time/manual-clock.js';
import { seededRandom } from '../time/random.js';
import { RateController } from './rate-controller.js';
import type { RateChangedEvent } from './rate-controller-types.js';
import type { RateControllerOptions } from './rate-controller-options.js';

function setup(options: RateControllerOptions = {}) {
  const clock = new ManualClock(0);
  const events: Array<RateChangedEvent & { at: number }> = [];
  const controller = new RateController(options, {
    clock,
    random: seededRandom(3),
    onChange: (e) => events.push({ ...e, at: clock.now() }),
  });
  return { clock, controller, events };
}

/**
 * Three callers that ask again as soon as they are let through, so requests always wait (the
 * rate binds); each request is answered at once unless `answering.on` is false.
 */
function demand(controller: RateController, clock: ManualClock) {
  const state = { on: true, answered: 0, sent: 0 };
  for (let i = 0; i < 3; i++) {
    void (async () => {
      for (;;) {
        await controller.acquire('poll');
        state.sent++;
        if (!state.on) continue;
        state.answered++;
        controller.onAnswered(clock.now());
      }
    })().catch(() => undefined);
  }
  return state;
}

/** 10/s for 2 s through an unlimited controller, then a 429: the first cut, to 7/s. */
async function firstCut(controller: RateController, clock: ManualClock): Promise<void> {
  for (let t = 0; t < 2_000; t += 100) {
    await controller.acquire('poll');
    await clock.advance(100);
  }
  controller.onThrottled(undefined, clock.now());
}

const rateOf = (controller: RateController) => controller.stats().ratePerSecond ?? Infinity;

describe('RateController recovery after a proven rate', () => {
  test('a 429 with a proven rate drops straight to it, then probes it at once on a 30 s ramp', async () => {
    const { clock, controller, events } = setup();
    await firstCut(controller, clock);
    assert.ok(Math.abs(rateOf(controller) - 7) < 1e-9);
    const state = demand(controller, clock);
    await clock.advance(20_000);
    const answered = state.answered;
    controller.onThrottled(undefined, clock.now());
    // the first 429 (at 2 s) emptied the server's bucket: 20 s later it had sustained this much
    const proven = ((answered - 1) * 1000) / 20_000;
    assert.ok(proven > 7.5, `climbed since the first cut: ${proven}`);
    assert.ok(Math.abs(rateOf(controller) - proven) < 1e-9, `${rateOf(controller)} vs ${proven}`);
    assert.deepEqual(events.at(-1), {
      ratePerSecond: rateOf(controller),
      reason: 'throttled',
      at: 22_000,
    });
    // The first hold after a climb is loose: it is probed at once, by a CUBIC ramp that reaches the
    // rate that drew the 429 after 30 s of rate-limited time and is concave before.
    await clock.advance(15_000);
    const half = rateOf(controller);
    await clock.advance(15_000);
    const wMax = rateOf(controller);
    assert.ok(wMax > proven + 0.3, `ramped to ${wMax}`);
    assert.ok(Math.abs(half - (wMax - (wMax - proven) / 8)) < 1e-6, `at half the ramp: ${half}`);
    controller.close();
  });

  test('after the quick probes, probes wait probeAfterMs, doubling after each that fails', async () => {
    const { clock, controller, events } = setup({ probeAfterRequests: 1e9, probeAfterMs: 60_000 });
    // A server admitting 10 requests in any second; a request is answered after 50 ms.
    const accepted: number[] = [];
    const handle = (): boolean => {
      const now = clock.now();
      while ((accepted[0] ?? now) <= now - 1_000) accepted.shift();
      if (accepted.length >= 10) return false;
      accepted.push(now);
      return true;
    };
    const worker = async (): Promise<void> => {
      while (clock.now() < 900_000) {
        await controller.acquire('poll');
        const sentAt = clock.now();
        const ok = handle();
        await clock.sleep(50);
        if (ok) controller.onAnswered(sentAt);
        else controller.onThrottled(undefined, sentAt);
      }
    };
    await clock.runUntil(Promise.all(Array.from({ length: 5 }, () => worker())));
    controller.close();
    const cuts = events.filter((e) => e.reason === 'throttled');
    // beta cuts lower the rate; the first cut that does not is a proven rate held
    const held = cuts.findIndex(
      (e, i) => i > 0 && (e.ratePerSecond ?? 0) >= (cuts[i - 1]?.ratePerSecond ?? 0),
    );
    assert.ok(held > 0, 'a proven rate was found');
    const holds = cuts.slice(held);
    const gaps = holds.slice(1).map((e, i) => e.at - (holds[i]?.at ?? 0));
    // quick probes follow one another while each proves more than the plateau margin...
    const quick = gaps.findIndex((g) => g > 60_000);
    // at most two: each costs a 429, and pauses can keep each proof a little short for ever
    assert.ok(quick >= 1 && quick <= 2, `gaps ${gaps.join(', ')}`);
    assert.ok(
      gaps.slice(0, quick).every((g) => g <= 45_000),
      `gaps ${gaps.join(', ')}`,
    );
    // ...then each probe waits probeAfterMs times 2^(probes that failed), plus its climb (the
    // quick chain may end on a probe that still gained: then the first waits 2^0)
    const slow = gaps.slice(quick);
    assert.ok(slow.length >= 2, `gaps ${gaps.join(', ')}`);
    const failedBefore = (slow[0] ?? 0) >= 120_000 ? 1 : 0;
    slow.forEach((g, i) => {
      assert.ok(
        g >= 60_000 * 2 ** (i + failedBefore) && g < 60_000 * 2 ** (i + failedBefore) + 60_000,
        `gaps ${gaps.join(', ')}`,
      );
    });
    // a probe's 429 keeps the plateau it started from: the rate never falls back below it
    const floor = holds[quick]?.ratePerSecond ?? 0;
    assert.ok(floor > 9.8, `held ${floor}`);
    for (const e of holds.slice(quick))
      assert.ok((e.ratePerSecond ?? 0) >= floor * 0.99, `${e.ratePerSecond}`);
  });
});

describe('RateController storms of 429s', () => {
  test('a storm pauses the account with growing jittered pauses and never cuts the rate', async () => {
    const { clock, controller, events } = setup({ stormBaseMs: 1_000, stormCapMs: 5_000 });
    await firstCut(controller, clock);
    const state = demand(controller, clock);
    await clock.advance(40_000);
    const beforeStorm = rateOf(controller);
    controller.onThrottled(undefined, clock.now());
    const afterCut = rateOf(controller);
    assert.ok(afterCut < beforeStorm, 'a 429 after a quiet spell cuts');
    state.on = false; // the server refuses everything from now on
    await clock.advance(1_500);
    const cutsBefore = events.filter((e) => e.reason === 'throttled').length;
    const bounds = [
      [500, 1_000],
      [1_000, 2_000],
      [2_000, 4_000],
      [2_500, 5_000],
      [2_500, 5_000],
    ];
    for (const [lo, hi] of bounds) {
      controller.onThrottled(undefined, clock.now());
      const last = events.at(-1);
      assert.equal(last?.reason, 'paused');
      const ms = last?.pausedMs ?? 0;
      assert.ok(ms >= (lo ?? 0) && ms <= (hi ?? 0), `paused ${ms} ms, expected [${lo}, ${hi}]`);
      const sent = state.sent;
      await clock.advance(ms - 1);
      assert.equal(state.sent, sent, 'nothing leaves during the pause');
      await clock.advance(1);
    }
    assert.equal(
      events.filter((e) => e.reason === 'throttled').length,
      cutsBefore,
      'no cut in a storm',
    );
    assert.ok(rateOf(controller) >= afterCut);
    // The first answer ends the storm and puts back the rate that had held 30 s without a 429.
    controller.onAnswered(clock.now());
    assert.deepEqual(events.at(-1), {
      ratePerSecond: beforeStorm,
      reason: 'resumed',
      at: clock.now(),
    });
    assert.equal(rateOf(controller), beforeStorm);
    controller.close();
  });

  test('a 429 while sending well under a proven rate pauses instead of cutting', async () => {
    const { clock, controller, events } = setup();
    await firstCut(controller, clock);
    let answered = 0;
    /** App-limited traffic: one request at a time, every `gapMs` or as soon as a token allows. */
    const send = async (gapMs: number, ms: number) => {
      for (let t = 0; t < ms; t += gapMs) {
        const sent = controller.acquire('poll');
        await clock.advance(gapMs);
        await clock.runUntil(sent);
        answered++;
        controller.onAnswered(clock.now());
      }
    };
    await send(125, 20_000);
    controller.onThrottled(undefined, clock.now());
    // held at what 20 s proved (capped just under the rate that drew the 429)
    const held = rateOf(controller);
    assert.ok(held > 7.5 && held <= ((answered - 1) * 1000) / 20_000, `held ${held}`);
    await send(1_000, 6_000);
    controller.onThrottled(undefined, clock.now());
    const last = events.at(-1);
    assert.equal(last?.reason, 'paused', 'refused at 1/s, well under a proven 7/s: not our doing');
    assert.ok((last?.pausedMs ?? 0) >= 500 && (last?.pausedMs ?? 0) <= 1_000);
    assert.equal(rateOf(controller), held, 'the rate is not cut');
    controller.close();
  });

  test('without a quiet spell before the cut, the end of a storm keeps the cut rate', async () => {
    const { clock, controller, events } = setup();
    await firstCut(controller, clock);
    const cut = rateOf(controller);
    const state = demand(controller, clock);
    state.on = false;
    await clock.advance(1_500);
    controller.onThrottled(undefined, clock.now());
    assert.equal(events.at(-1)?.reason, 'paused');
    await clock.advance(1_000);
    controller.onAnswered(clock.now());
    assert.notEqual(events.at(-1)?.reason, 'resumed');
    assert.ok(rateOf(controller) >= cut && rateOf(controller) < cut + 0.5);
    controller.close();
  });
});

describe('RateController.limitsSubmits', () => {
  test('true while submits waited for a token in the last 5 s, and only submits', async () => {
    const { clock, controller } = setup({ requestsPerSecond: 1 });
    await controller.acquire('submit');
    assert.equal(controller.limitsSubmits(), false, 'a submit that went at once was not held');
    const poll = controller.acquire('poll');
    assert.equal(controller.limitsSubmits(), false, 'a waiting poll does not count');
    await clock.advance(1_000);
    await poll;
    const submit = controller.acquire('submit');
    assert.equal(controller.limitsSubmits(), true);
    await clock.advance(1_000);
    await submit;
    assert.equal(controller.limitsSubmits(), true, 'still counts a few seconds after');
    await clock.advance(3_999);
    assert.equal(controller.limitsSubmits(), true);
    await clock.advance(1);
    assert.equal(controller.limitsSubmits(), false, '5 s after the last wait');
    controller.close();
  });
});
