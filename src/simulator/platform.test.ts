import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, idOf, paramsOf, setup, START } from './platform-fixtures.test-helper.js';
import { platformTypeOf } from './platform-type.js';
import { Simulator } from './simulator.js';

describe('platform caps', () => {
  it('refuses the (cap+1)th task of the type with refusalCode, and not other types', async () => {
    const { sim, submit } = setup({
      platform: { caps: { recaptchaV2: 2 }, refusalCode: 'ERROR_NO_SLOT_AVAILABLE' },
    });
    idOf(await submit('recaptchaV2'));
    idOf(await submit('recaptchaV2'));
    assert.equal(await submit('recaptchaV2'), 'ERROR_NO_SLOT_AVAILABLE');
    idOf(await submit('turnstile'));
    idOf(await submit('image'));
    const s = sim.stats();
    assert.equal(s.capacityRejections, 1);
    assert.equal(s.platformRejections, 1);
    assert.equal(s.acceptedSubmits, 4);
    assert.deepEqual(s.byType.recaptchaV2, {
      accepted: 2,
      refusedAccount: 0,
      refusedPlatform: 1,
      inUse: 2,
      maxInUse: 2,
      slotMs: 0,
    });
    assert.equal(s.byType.turnstile?.accepted, 1);
    assert.equal(s.byType.hcaptcha, undefined, 'only types that saw a submit');
    assert.equal(sim.liveTasks, 4, 'a refused task is not queued');
  });

  it('counts every account of the simulator against the cap', async () => {
    const { sim, submit } = setup({ platform: { caps: { turnstile: 1 } } });
    const other = sim.addAccount({ threads: 5, key: 'b'.repeat(32) });
    idOf(await submit('turnstile'));
    assert.equal(await submit('turnstile', other), 'ERROR_ZERO_BALANCE', 'the default code');
    assert.equal(sim.stats(other).byType.turnstile?.refusedPlatform, 1);
    assert.equal(sim.stats(other).balance, 10, 'unbilled');
  });

  it('defaults the refusal code to the profile capacityCode (2captcha: NO_SLOT)', async () => {
    const { submit } = setup({ profile: '2captcha', platform: { caps: { image: 0 } } });
    assert.equal(await submit('image'), 'ERROR_NO_SLOT_AVAILABLE');
  });

  it('checks the account cap first, with capacityCode, counted as refusedAccount', async () => {
    const { sim, submit } = setup({
      defaultAccount: { threads: 1 },
      platform: { caps: { recaptchaV2: 1 }, refusalCode: 'ERROR_NO_SLOT_AVAILABLE' },
    });
    idOf(await submit('recaptchaV2'));
    // Both limits are reached: the account's decides.
    assert.equal(await submit('recaptchaV2'), 'ERROR_ZERO_BALANCE');
    assert.equal(await submit('turnstile'), 'ERROR_ZERO_BALANCE');
    const s = sim.stats();
    assert.equal(s.capacityRejections, 2);
    assert.equal(s.platformRejections, 0);
    assert.equal(s.byType.recaptchaV2?.refusedAccount, 1);
    assert.equal(s.byType.recaptchaV2?.refusedPlatform, 0);
    assert.equal(s.byType.turnstile?.refusedAccount, 1);
    assert.equal(s.byType.turnstile?.accepted, 0);
  });

  it('refuses solve.php too, and frees the type when the task is done', async () => {
    const { sim, clock, call, submit } = setup({ platform: { caps: { image: 1 } } });
    const first = call('solve.php', paramsOf('image', 1));
    assert.equal(await call('solve.php', paramsOf('image', 2)), 'ERROR_ZERO_BALANCE');
    await clock.advance(1000);
    assert.match(await first, /^OK\|/);
    idOf(await submit('image'));
    assert.equal(sim.stats().byType.image?.refusedPlatform, 1);
  });

  it('counts platform refusals towards the 2captcha NO_SLOT ban', async () => {
    const { sim, submit } = setup({
      profile: '2captcha',
      banRules: { noSlot: { count: 3, windowMs: 60_000, banMs: 600_000 } },
      platform: { caps: { turnstile: 0 } },
    });
    for (let i = 0; i < 3; i++) assert.equal(await submit('turnstile'), 'ERROR_NO_SLOT_AVAILABLE');
    assert.equal(await submit('turnstile'), 'ERROR: 1001');
    assert.equal(await submit('image'), 'ERROR: 1001', 'the ban blocks every submit');
    assert.equal(sim.stats().platformRejections, 4);
  });
});

describe('platform outages', () => {
  it('refuses every submit of its type inside [fromMs, toMs) of simulator time only', async () => {
    const { sim, clock, submit } = setup({
      platform: { outages: [{ type: 'turnstile', fromMs: 10_000, toMs: 20_000 }] },
    });
    idOf(await submit('turnstile'));
    await clock.advance(10_000 - 1);
    idOf(await submit('turnstile'));
    await clock.advance(1);
    assert.equal(await submit('turnstile'), 'ERROR_ZERO_BALANCE');
    idOf(await submit('recaptchaV2'));
    await clock.advance(9_999);
    assert.equal(await submit('turnstile'), 'ERROR_ZERO_BALANCE');
    await clock.advance(1);
    idOf(await submit('turnstile'));
    assert.equal(sim.stats().byType.turnstile?.refusedPlatform, 2);
    assert.equal(sim.platformCapacity('turnstile', 15_000), 0);
    assert.equal(sim.platformCapacity('turnstile', 20_000), Infinity);
    assert.equal(sim.platformCapacity('recaptchaV2', 15_000), Infinity);
  });
});

describe('platform day curve', () => {
  it('scales workers by the default vendor factors at the UTC hour', () => {
    const sim = new Simulator({
      platform: { dayCurve: { workers: { recaptchaV2: 10 }, startHourUtc: 11.5 } },
    });
    const at = (hours: number) => sim.platformCapacity('recaptchaV2', hours * HOUR);
    assert.equal(at(0), 7, '11:30 UTC: moderate');
    assert.equal(at(0.5), 4, '12:00 UTC: peak');
    assert.equal(at(6.49), 4, '17:59 UTC');
    assert.equal(at(6.5), 7, '18:00 UTC');
    assert.equal(at(12.5), 10, '00:00 UTC next day: high');
    assert.equal(at(18.5), 7, '06:00 UTC');
    assert.equal(at(24.5), 4, 'the next day repeats');
    assert.equal(sim.platformCapacity('turnstile', 0), Infinity, 'types not listed are unlimited');
  });

  it('uses given hourFactors, floors, and takes the least of cap and curve', () => {
    const hourFactors = Array.from({ length: 24 }, (_, h) => h / 10);
    const sim = new Simulator({
      platform: {
        caps: { image: 15 },
        dayCurve: { workers: { image: 7 }, hourFactors, startHourUtc: 0 },
      },
    });
    assert.equal(sim.platformCapacity('image', 0), 0);
    assert.equal(sim.platformCapacity('image', 3 * HOUR), 2, 'floor(7 × 0.3)');
    assert.equal(sim.platformCapacity('image', 23 * HOUR), 15, 'min(cap 15, floor(7 × 2.3) = 16)');
  });

  it('never evicts accepted tasks when capacity falls; refuses until in use drops below it', async () => {
    const { sim, clock, submit } = setup(
      {
        solveTime: { kind: 'fixed', ms: 2 * HOUR },
        platform: { dayCurve: { workers: { turnstile: 10 }, startHourUtc: 11 } },
      },
      START,
    );
    for (let i = 0; i < 7; i++) idOf(await submit('turnstile'));
    assert.equal(await submit('turnstile'), 'ERROR_ZERO_BALANCE', 'moderate: 7');
    await clock.advance(HOUR);
    assert.equal(sim.stats().byType.turnstile?.inUse, 7, 'peak: still 7 held, capacity 4');
    assert.equal(await submit('turnstile'), 'ERROR_ZERO_BALANCE');
    await clock.advance(HOUR);
    idOf(await submit('turnstile'));
  });
});

describe('per-type slot accounting', () => {
  it("'solve' release: inUse and slotMs follow completion", async () => {
    const { sim, clock, submit } = setup();
    idOf(await submit('turnstile'));
    await clock.advance(500);
    idOf(await submit('turnstile'));
    idOf(await submit('image'));
    assert.equal(sim.stats().byType.turnstile?.slotMs, 500);
    await clock.advance(500);
    let s = sim.stats();
    assert.equal(s.byType.turnstile?.inUse, 1);
    assert.equal(s.byType.turnstile?.maxInUse, 2);
    assert.equal(s.byType.turnstile?.slotMs, 1500);
    assert.equal(s.byType.image?.slotMs, 500);
    await clock.advance(5000);
    s = sim.stats();
    assert.equal(s.byType.turnstile?.inUse, 0);
    assert.equal(s.byType.turnstile?.slotMs, 2000);
    assert.equal(s.byType.image?.slotMs, 1000);
    assert.equal(s.slotMs, 3000, 'the types add up to the account');
  });

  it("'collect' release: the type stays in use until the answer is fetched", async () => {
    const { sim, clock, submit, poll } = setup({
      slotRelease: 'collect',
      platform: { caps: { recaptchaV2: 1 } },
    });
    const id = idOf(await submit('recaptchaV2'));
    await clock.advance(4000);
    assert.equal(await submit('recaptchaV2'), 'ERROR_ZERO_BALANCE', 'solved, not collected');
    assert.equal(sim.stats().byType.recaptchaV2?.inUse, 1);
    assert.match(await poll(id), /^OK\|/);
    const s = sim.stats().byType.recaptchaV2;
    assert.equal(s?.inUse, 0);
    assert.equal(s?.slotMs, 4000);
    idOf(await submit('recaptchaV2'));
  });
});

describe('platform off', () => {
  /** A fixed-seed run with random solve times and outcomes; returns every answer and the stats. */
  async function run(platform?: object) {
    const { sim, clock, submit, poll } = setup({
      seed: 42,
      solveTime: null,
      unsolvableRate: 0.3,
      defaultAccount: { threads: 3 },
      ...(platform ? { platform } : {}),
    });
    const bodies: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const body = await submit(i % 2 ? 'turnstile' : 'image');
      bodies.push(body);
      if (body.startsWith('OK|')) ids.push(body.slice(3));
      await clock.advance(1500);
      for (const id of ids) bodies.push(await poll(id));
    }
    return { bodies, stats: sim.stats() };
  }

  it('answers and counts exactly as with platform: {}', async () => {
    const a = await run();
    const b = await run({});
    assert.deepEqual(a.bodies, b.bodies);
    assert.deepEqual(a.stats, b.stats);
    assert.ok(a.stats.capacityRejections > 0 && a.stats.unsolvable > 0, 'the run exercises both');
  });

  it('leaves ids, solve times and outcomes alone when platform limits are on', async () => {
    const a = await run();
    const b = await run({
      dayCurve: { workers: { image: 1000 }, bursts: { perHour: 100, depth: 0 } },
    });
    assert.deepEqual(a.bodies, b.bodies);
  });
});

describe('platformTypeOf', () => {
  it('gives the category the simulator would use, undefined for invalid params', () => {
    assert.equal(platformTypeOf(paramsOf('recaptchaV2', 1)), 'recaptchaV2');
    assert.equal(platformTypeOf({ ...paramsOf('recaptchaV2', 1), version: 'v3' }), 'recaptchaV3');
    assert.equal(platformTypeOf({ method: 'post' }), 'image', 'no file needed');
    assert.equal(platformTypeOf({ method: 'post', recaptcha: '1' }), 'other');
    assert.equal(
      platformTypeOf({ method: 'geetest_v4', captcha_id: 'x', pageurl: 'u' }),
      'geetest',
    );
    assert.equal(platformTypeOf({ method: 'turnstile' }), undefined);
    assert.equal(platformTypeOf({ method: 'nope' }), undefined);
  });
});

describe('platform options validation', () => {
  const bad: Array<[unknown, string]> = [
    [{ caps: { recaptcha: 1 } }, 'platform.caps.recaptcha'],
    [{ caps: { image: -1 } }, 'platform.caps.image'],
    [{ outages: [{ type: 'image', fromMs: 5, toMs: 1 }] }, 'platform.outages[0]'],
    [{ outages: [{ type: 'x', fromMs: 0, toMs: 1 }] }, 'platform.outages[0].type'],
    [{ refusalCode: 'ERROR' }, 'platform.refusalCode'],
    [{ dayCurve: { workers: { image: 1.5 } } }, 'platform.dayCurve.workers.image'],
    [{ dayCurve: { workers: {}, hourFactors: [1] } }, 'platform.dayCurve.hourFactors'],
    [{ dayCurve: { workers: {}, startHourUtc: 24 } }, 'platform.dayCurve.startHourUtc'],
    [{ dayCurve: { workers: {}, bursts: { perHour: -1 } } }, 'platform.dayCurve.bursts.perHour'],
    [
      { dayCurve: { workers: {}, bursts: { perHour: 1, depth: 2 } } },
      'platform.dayCurve.bursts.depth',
    ],
    [
      { dayCurve: { workers: {}, bursts: { perHour: 1, meanMs: 0 } } },
      'platform.dayCurve.bursts.meanMs',
    ],
  ];
  for (const [platform, option] of bad) {
    it(`names ${option}`, () => {
      assert.throws(() => new Simulator({ platform: platform as never }), { option });
    });
  }

  it('copies the options: changing the caller object later changes nothing', () => {
    const caps = { image: 1 };
    const sim = new Simulator({ platform: { caps } });
    caps.image = 5;
    assert.equal(sim.platformCapacity('image', 0), 1);
  });
});
