import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../time/manual-clock.js';
import { utcHourOfClock } from './day-curve.js';
import { HOUR, idOf, setup, START } from './platform-fixtures.test-helper.js';
import { Simulator } from './simulator.js';

// START (1_700_000_000_000) is 2023-11-14T22:13:20Z: hour 22.2, "moderate" (0.7) until midnight.
const START_HOUR = 22 + 13 / 60 + 20 / 3600;
const MS_TO_MIDNIGHT = (24 - START_HOUR) * HOUR;

describe('day curve and the simulator clock', () => {
  it('reads the UTC hour of the clock when no start hour is given', async () => {
    assert.ok(Math.abs(utcHourOfClock(START) - START_HOUR) < 1e-9);
    const { sim, clock } = setup({ platform: { dayCurve: { workers: { turnstile: 10 } } } });
    assert.ok(Math.abs((sim.platformStats().utcHour ?? -1) - START_HOUR) < 1e-9);
    assert.equal(sim.platformCapacity('turnstile', 0), 7, '22:13 UTC: moderate');
    assert.equal(sim.platformCapacity('turnstile', MS_TO_MIDNIGHT - 1), 7, '23:59:59.999');
    assert.equal(sim.platformCapacity('turnstile', MS_TO_MIDNIGHT), 10, '00:00 UTC: high');
    await clock.advance(MS_TO_MIDNIGHT + 13 * HOUR);
    assert.ok(Math.abs((sim.platformStats().utcHour ?? -1) - 13) < 1e-9);
    assert.equal(sim.platformStats().byType.turnstile?.capacity, 4, '13:00 UTC: peak');
  });

  it('a manual clock started at 0 is at 00:00 UTC; startHourUtc overrides the clock', () => {
    const curve = { workers: { image: 10 } };
    const atZero = new Simulator({ platform: { dayCurve: curve } }, { clock: new ManualClock(0) });
    assert.equal(atZero.platformCapacity('image', 0), 10);
    assert.equal(atZero.platformCapacity('image', 12 * HOUR), 4);
    const given = new Simulator(
      { platform: { dayCurve: { ...curve, startHourUtc: 12 } } },
      { clock: new ManualClock(START) },
    );
    assert.equal(given.platformCapacity('image', 0), 4, '12:00 UTC given, not 22:13');
    assert.equal(given.platformStats().utcHour, 12);
  });

  it('refuses at the peak what it took off-peak, on the same clock', async () => {
    const { clock, submit, sim } = setup(
      {
        solveTime: { kind: 'fixed', ms: 1000 },
        platform: { dayCurve: { workers: { image: 5 } } },
      },
      0,
    );
    for (let i = 0; i < 5; i++) idOf(await submit('image'));
    assert.equal(await submit('image'), 'ERROR_ZERO_BALANCE', '00:00 UTC: 5 workers');
    await clock.advance(12 * HOUR);
    for (let i = 0; i < 2; i++) idOf(await submit('image'));
    assert.equal(await submit('image'), 'ERROR_ZERO_BALANCE', '12:00 UTC: floor(5 × 0.4)');
    const image = sim.stats().byType.image;
    assert.equal(image?.accepted, 7);
    assert.equal(image?.refusedPlatform, 2);
  });
});

describe('platformStats', () => {
  it('shows every account’s tasks per type, capacity now, null for unlimited', async () => {
    const { sim, clock, submit } = setup({
      platform: {
        caps: { image: 3 },
        outages: [{ type: 'turnstile', fromMs: 0, toMs: 60_000 }],
      },
    });
    const other = sim.addAccount({ threads: 5 });
    idOf(await submit('image'));
    idOf(await submit('image', other));
    idOf(await submit('recaptchaV2'));
    assert.equal(await submit('turnstile'), 'ERROR_ZERO_BALANCE');
    assert.deepEqual(sim.platformStats(), {
      utcHour: null,
      byType: {
        image: { inUse: 2, capacity: 3 },
        recaptchaV2: { inUse: 1, capacity: null },
        turnstile: { inUse: 0, capacity: 0 },
      },
    });
    await clock.advance(60_000);
    assert.deepEqual(sim.platformStats().byType, { image: { inUse: 0, capacity: 3 } });
  });
});
