import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../time/random.js';
import { BurstSchedule } from './burst-schedule.js';
import type { PlatformBursts, PlatformDayCurve, PlatformType } from './options.js';
import { HOUR, idOf, setup } from './platform-fixtures.test-helper.js';
import { Simulator } from './simulator.js';

const FLAT = Array<number>(24).fill(1);

/** Capacity of `type` sampled every `stepMs` over `hours`. */
function trace(sim: Simulator, type: PlatformType, hours: number, stepMs = 1000): number[] {
  const out: number[] = [];
  for (let t = 0; t < hours * HOUR; t += stepMs) out.push(sim.platformCapacity(type, t));
  return out;
}

function curve(bursts: PlatformBursts | null): PlatformDayCurve {
  return { workers: { image: 10, turnstile: 10 }, hourFactors: FLAT, startHourUtc: 0, bursts };
}

describe('platform bursts', () => {
  it('are the same for a seed, and differ for another seed', () => {
    const dayCurve = curve({ perHour: 20 });
    const a = trace(new Simulator({ seed: 3, platform: { dayCurve } }), 'image', 6);
    const b = trace(new Simulator({ seed: 3, platform: { dayCurve } }), 'image', 6);
    const c = trace(new Simulator({ seed: 4, platform: { dayCurve } }), 'image', 6);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(a.includes(0) && a.includes(10), 'bursts come and go');
  });

  it('do not depend on the order or times of the questions asked', () => {
    const dayCurve = curve({ perHour: 20 });
    const sim = new Simulator({ seed: 3, platform: { dayCurve } });
    const late = sim.platformCapacity('image', 5 * HOUR);
    const forward = trace(sim, 'image', 6);
    const fresh = trace(new Simulator({ seed: 3, platform: { dayCurve } }), 'image', 6);
    assert.deepEqual(forward, fresh);
    assert.equal(late, fresh[(5 * HOUR) / 1000]);
  });

  it('arrive at about perHour per hour at factor 1, with the configured mean length', () => {
    const schedule = new BurstSchedule(
      { workers: { image: 1 }, hourFactors: FLAT },
      { perHour: 6 },
      seededRandom(11),
    );
    const spans = schedule.spansUntil(1000 * HOUR);
    // 6000 expected (Poisson: sd ≈ 77); a few merge when they overlap.
    assert.ok(spans.length > 5700 && spans.length < 6200, `${spans.length} bursts`);
    const mean = spans.reduce((sum, s) => sum + (s.to - s.from), 0) / spans.length;
    // 0.9 × 8 s + 0.1 × 180 s = 25.2 s.
    assert.ok(mean > 22_000 && mean < 29_000, `mean ${mean} ms`);
  });

  it('come more often as the curve frees fewer workers: perHour / factor', () => {
    const hourFactors = [...Array<number>(12).fill(1), ...Array<number>(12).fill(0.25)];
    const schedule = new BurstSchedule(
      { workers: { image: 1 }, hourFactors },
      { perHour: 4, longShare: 0 },
      seededRandom(5),
    );
    let calm = 0;
    let busy = 0;
    for (const s of schedule.spansUntil(500 * 24 * HOUR)) {
      if ((s.from / HOUR) % 24 < 12) calm++;
      else busy++;
    }
    // 500 days × 12 h × 4 = 24000 calm; 4× that in the busy half.
    assert.ok(calm > 23_000 && calm < 25_000, `calm ${calm}`);
    assert.ok(busy / calm > 3.8 && busy / calm < 4.2, `ratio ${busy / calm}`);
  });

  it('take `depth` of the free workers, and leave other types alone', () => {
    const dayCurve = curve({ perHour: 30, depth: 0.5 });
    const sim = new Simulator({ platform: { dayCurve } });
    const image = trace(sim, 'image', 4);
    const turnstile = trace(sim, 'turnstile', 4);
    assert.deepEqual([...new Set(image)].sort(), [10, 5]);
    assert.notDeepEqual(image, turnstile, 'each type has bursts of its own');
    assert.deepEqual(new Set(trace(sim, 'recaptchaV2', 4, 60_000)), new Set([Infinity]));
    // Another type on the curve does not reshuffle image's bursts.
    const alone = new Simulator({
      platform: { dayCurve: { ...dayCurve, workers: { image: 10 } } },
    });
    assert.deepEqual(trace(alone, 'image', 4), image);
  });

  it('refuse submits of the type while on', async () => {
    const dayCurve = curve({ perHour: 30 });
    const probe = new Simulator({ platform: { dayCurve } });
    const onAt = trace(probe, 'image', 4).indexOf(0) * 1000;
    assert.ok(onAt > 0);
    const { sim, clock, submit } = setup({ platform: { dayCurve } });
    await clock.advance(onAt);
    assert.equal(await submit('image'), 'ERROR_ZERO_BALANCE');
    idOf(await submit('recaptchaV2'));
    assert.equal(sim.stats().byType.image?.refusedPlatform, 1);
  });

  it('none when perHour is 0 or bursts are null', () => {
    for (const bursts of [null, { perHour: 0 }]) {
      const sim = new Simulator({ platform: { dayCurve: curve(bursts) } });
      assert.deepEqual(new Set(trace(sim, 'image', 24, 10_000)), new Set([10]));
    }
  });
});
