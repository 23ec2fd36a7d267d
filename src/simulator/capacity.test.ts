import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiEndpoint } from '../errors/api-error.js';
import { ManualClock } from '../time/manual-clock.js';
import type { SimulatorOptions } from './options.js';
import { Simulator } from './simulator.js';

const GOOGLEKEY = '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-';

function setup(options: Partial<SimulatorOptions> = {}) {
  const clock = new ManualClock(0);
  const sim = new Simulator(
    { solveTime: { kind: 'fixed', ms: 1000 }, unsolvableRate: 0, ...options },
    { clock },
  );
  let n = 0;
  const call = (endpoint: ApiEndpoint, params: Record<string, string>, key = sim.defaultKey) =>
    sim.handle({ endpoint, httpMethod: 'GET', params: { key, ...params } });
  const submit = async (key?: string) => {
    const params = {
      method: 'userrecaptcha',
      googlekey: GOOGLEKEY,
      pageurl: `https://e.com/${n++}`,
    };
    return (await call('in.php', params, key)).body;
  };
  const poll = async (id: string) => (await call('res.php', { action: 'get', id })).body;
  return { clock, sim, submit, poll, call };
}

const idOf = (body: string): string => {
  assert.match(body, /^OK\|\d+$/);
  return body.slice(3);
};

describe('simulator slots', () => {
  for (const profile of ['captchaai', '2captcha'] as const) {
    it(`rejects the submit over exactly \`threads\` (${profile})`, async () => {
      const { sim, submit } = setup({ profile, defaultAccount: { threads: 3 } });
      for (let i = 0; i < 3; i++) idOf(await submit());
      const code = profile === 'captchaai' ? 'ERROR_ZERO_BALANCE' : 'ERROR_NO_SLOT_AVAILABLE';
      assert.equal(await submit(), code);
      const s = sim.stats();
      assert.equal(s.acceptedSubmits, 3);
      assert.equal(s.capacityRejections, 1);
      assert.equal(s.slotsInUse, 3);
      assert.equal(s.maxSlotsInUse, 3);
      assert.equal(sim.liveTasks, 3, 'a rejected task is not queued');
    });
  }

  it('takes the capacity code from the options', async () => {
    const { submit } = setup({
      capacityCode: 'ERROR_NO_SLOT_AVAILABLE',
      defaultAccount: { threads: 1 },
    });
    idOf(await submit());
    assert.equal(await submit(), 'ERROR_NO_SLOT_AVAILABLE');
  });

  it('bills nothing for rejected submits', async () => {
    const { sim, submit, clock } = setup({ defaultAccount: { threads: 1 } });
    idOf(await submit());
    for (let i = 0; i < 5; i++) assert.equal(await submit(), 'ERROR_ZERO_BALANCE');
    await clock.advance(5000);
    const s = sim.stats();
    assert.equal(s.billedSolves, 1);
    assert.equal(s.capacityRejections, 5);
    assert.equal(s.balance, 10);
  });

  it("'solve' release frees the slot at completion, without any poll", async () => {
    const { sim, submit, clock } = setup({ defaultAccount: { threads: 1 } });
    idOf(await submit());
    await clock.advance(999);
    assert.equal(await submit(), 'ERROR_ZERO_BALANCE');
    await clock.advance(1);
    assert.equal(sim.stats().slotsInUse, 0);
    idOf(await submit());
    assert.equal(sim.stats().slotMs, 1000);
  });

  it("'collect' release holds the slot until the answer is fetched", async () => {
    const { sim, submit, poll, clock } = setup({
      slotRelease: 'collect',
      defaultAccount: { threads: 1 },
    });
    const id = idOf(await submit());
    await clock.advance(5000);
    assert.equal(await submit(), 'ERROR_ZERO_BALANCE', 'solved but not collected');
    assert.match(await poll(id), /^OK\|03A/);
    assert.equal(sim.stats().slotsInUse, 0);
    assert.equal(sim.stats().slotMs, 5000);
    idOf(await submit());
  });

  it("'collect' release frees an uncollected slot at retention expiry", async () => {
    const { sim, submit, clock } = setup({
      slotRelease: 'collect',
      retentionMs: 60_000,
      defaultAccount: { threads: 1 },
    });
    idOf(await submit());
    await clock.advance(60_999);
    assert.equal(sim.stats().slotsInUse, 1);
    await clock.advance(1);
    assert.equal(sim.stats().slotsInUse, 0);
    assert.equal(sim.stats().slotMs, 61_000);
  });

  it("'collect' release also frees on an unsolvable answer", async () => {
    const { sim, submit, poll, clock } = setup({
      slotRelease: 'collect',
      unsolvableRate: 1,
      defaultAccount: { threads: 1 },
    });
    const id = idOf(await submit());
    await clock.advance(1000);
    assert.equal(sim.stats().slotsInUse, 1);
    assert.equal(await poll(id), 'ERROR_CAPTCHA_UNSOLVABLE');
    assert.equal(sim.stats().slotsInUse, 0);
  });

  it('follows a plan change mid-run', async () => {
    const { sim, submit, clock } = setup({ defaultAccount: { threads: 2 } });
    idOf(await submit());
    idOf(await submit());
    sim.setThreads(sim.defaultKey, 3);
    idOf(await submit());
    sim.setThreads(sim.defaultKey, 1);
    assert.equal(await submit(), 'ERROR_ZERO_BALANCE');
    await clock.advance(1000);
    idOf(await submit());
    assert.equal(sim.stats().maxSlotsInUse, 3);
    assert.equal(sim.stats().threads, 1);
  });

  it('answers ERROR_KEY_DOES_NOT_EXIST for an account without threads (captchaai)', async () => {
    const { sim, submit, call } = setup();
    const key = sim.addAccount({ threads: 0 });
    assert.equal(await submit(key), 'ERROR_KEY_DOES_NOT_EXIST');
    assert.equal((await call('res.php', { action: 'getbalance' }, key)).body, '10');
  });

  it('keeps accounts apart', async () => {
    const { sim, submit } = setup({ defaultAccount: { threads: 1 } });
    const other = sim.addAccount({ threads: 1, key: 'b'.repeat(32) });
    idOf(await submit());
    idOf(await submit(other));
    assert.equal(sim.stats().slotsInUse, 1);
    assert.equal(sim.stats(other).slotsInUse, 1);
    assert.equal(sim.stats(other).key, 'bbbb…');
  });

  it('refuses bad account setups by name', () => {
    const { sim } = setup();
    assert.throws(() => sim.addAccount({ threads: 1, key: 'short' }), { option: 'key' });
    assert.throws(() => sim.addAccount({ threads: -1 }), { option: 'threads' });
    assert.throws(() => sim.addAccount({ threads: 1, key: sim.defaultKey }), { option: 'key' });
    assert.throws(() => sim.stats('x'.repeat(32)), { option: 'key' });
  });
});
