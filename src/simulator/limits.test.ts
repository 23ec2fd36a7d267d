import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiEndpoint } from '../errors/api-error.js';
import { ManualClock } from '../time/manual-clock.js';
import type { SimulatorOptions } from './options.js';
import { Simulator } from './simulator.js';

const GOOGLEKEY = '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-';

function setup(options: Partial<SimulatorOptions> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const sim = new Simulator(
    { solveTime: { kind: 'fixed', ms: 1000 }, unsolvableRate: 0, ...options },
    { clock },
  );
  let n = 0;
  const call = async (endpoint: ApiEndpoint, params: Record<string, string>, ip = '10.0.0.1') =>
    sim.handle({ endpoint, httpMethod: 'GET', params: { key: sim.defaultKey, ...params } }, { ip });
  const submit = async () =>
    (
      await call('in.php', {
        method: 'userrecaptcha',
        googlekey: GOOGLEKEY,
        pageurl: `https://e.com/${n++}`,
      })
    ).body;
  const balance = async (key = sim.defaultKey, ip = '10.0.0.1') =>
    (await call('res.php', { action: 'getbalance', key }, ip)).body;
  return { clock, sim, call, submit, balance };
}

describe('simulator bad-key IP ban', () => {
  it('bans an IP for 5 minutes after 10 bad-key requests (captchaai)', async () => {
    const { clock, balance } = setup();
    for (let i = 0; i < 5; i++) assert.equal(await balance('short'), 'ERROR_WRONG_USER_KEY');
    for (let i = 0; i < 5; i++)
      assert.equal(await balance('u'.repeat(32)), 'ERROR_KEY_DOES_NOT_EXIST');
    assert.equal(await balance(), 'IP_BANNED', 'a good key from the banned IP is refused too');
    assert.equal(await balance(undefined, '10.0.0.2'), '10', 'another IP is not banned');
    await clock.advance(5 * 60_000 - 1);
    assert.equal(await balance(), 'IP_BANNED');
    await clock.advance(1);
    assert.equal(await balance(), '10');
  });

  it('bans after 5 bad keys with ERROR: 1004 for 10 minutes (2captcha)', async () => {
    const { clock, balance } = setup({ profile: '2captcha' });
    for (let i = 0; i < 5; i++) assert.equal(await balance('bad'), 'ERROR_WRONG_USER_KEY');
    assert.equal(await balance(), 'ERROR: 1004');
    await clock.advance(10 * 60_000);
    assert.equal(await balance(), '10');
  });

  it('forgets bad keys spread wider than the window', async () => {
    const { clock, balance } = setup();
    for (let i = 0; i < 20; i++) {
      assert.equal(await balance('bad'), 'ERROR_WRONG_USER_KEY');
      await clock.advance(10_000);
    }
  });
});

describe('simulator rate limit (HTTP 429)', () => {
  it('answers 429 over requestsPerSecond with Retry-After in seconds, and nothing happens', async () => {
    const { clock, sim, submit } = setup({
      requestsPerSecond: 2,
      retryAfter: 'seconds',
      defaultAccount: { threads: 10 },
    });
    assert.match(await submit(), /^OK\|/);
    assert.match(await submit(), /^OK\|/);
    const res = await sim.handle({
      endpoint: 'in.php',
      httpMethod: 'GET',
      params: { key: sim.defaultKey, method: 'x' },
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '1');
    const s = sim.stats();
    assert.equal(s.http429, 1);
    assert.equal(s.acceptedSubmits, 2);
    assert.equal(s.codes.ERROR_BAD_PARAMETERS, undefined, 'a 429 is not processed');
    await clock.advance(500);
    assert.match(await submit(), /^OK\|/);
  });

  it('sends Retry-After as an HTTP date when asked, and none by default', async () => {
    const dated = setup({ requestsPerSecond: 1, retryAfter: 'http-date' });
    await dated.balance();
    const res = await dated.call('res.php', { action: 'getbalance' });
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], new Date(1_700_000_001_000).toUTCString());
    const plain = setup({ requestsPerSecond: 1 });
    await plain.balance();
    const none = await plain.call('res.php', { action: 'getbalance' });
    assert.equal(none.status, 429);
    assert.equal(none.headers['retry-after'], undefined);
  });

  it('a skewed service clock shows in its Date header and its date-form Retry-After alike', async () => {
    const behind = setup({ requestsPerSecond: 1, retryAfter: 'http-date', clockSkewMs: -900 });
    const first = await behind.call('res.php', { action: 'getbalance' });
    assert.equal(first.headers.date, new Date(1_700_000_000_000 - 900).toUTCString());
    const res = await behind.call('res.php', { action: 'getbalance' });
    assert.equal(res.status, 429);
    // The token comes at 1_700_000_001_000 on the simulator's clock: 100 ms past the service's
    // second 1_700_000_000, rounded up to the next whole second of the service's clock.
    assert.equal(res.headers['retry-after'], new Date(1_700_000_001_000).toUTCString());
    assert.equal(res.headers.date, new Date(1_700_000_000_000 - 900).toUTCString());
  });

  it('allows a burst of rateBurst', async () => {
    const { balance } = setup({ requestsPerSecond: 1, rateBurst: 3 });
    for (let i = 0; i < 3; i++) assert.equal(await balance(), '10');
    assert.equal(await balance(), '429 Too Many Requests');
  });

  it('answers 429 to everything inside a throttle window', async () => {
    const { clock, sim, call } = setup({
      throttleWindows: [{ fromMs: 1000, toMs: 4000 }],
      retryAfter: 'seconds',
    });
    assert.equal((await call('res.php', { action: 'getbalance' })).status, 200);
    await clock.advance(1000);
    const res = await call('res.php', { action: 'getbalance' });
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '3');
    await clock.advance(3000);
    assert.equal((await call('res.php', { action: 'getbalance' })).status, 200);
    assert.equal(sim.stats().http429, 1);
  });
});

describe('simulator 2captcha bans', () => {
  it('answers MAX_USER_TURN for 10 s after more than 60 submits in 3 s', async () => {
    const { clock, submit } = setup({ profile: '2captcha', defaultAccount: { threads: 1000 } });
    for (let i = 0; i < 60; i++) assert.match(await submit(), /^OK\|/);
    assert.equal(await submit(), 'MAX_USER_TURN');
    await clock.advance(9_999);
    assert.equal(await submit(), 'MAX_USER_TURN');
    await clock.advance(1);
    assert.match(await submit(), /^OK\|/);
  });

  it('answers ERROR: 1001 for 10 min after 120 NO_SLOT answers in a minute', async () => {
    const { clock, submit } = setup({
      profile: '2captcha',
      defaultAccount: { threads: 0 },
      banRules: { maxUserTurn: { count: 1000, windowMs: 3000, banMs: 10_000 } },
    });
    for (let i = 0; i < 120; i++) assert.equal(await submit(), 'ERROR_NO_SLOT_AVAILABLE');
    assert.equal(await submit(), 'ERROR: 1001');
    await clock.advance(10 * 60_000 - 1);
    assert.equal(await submit(), 'ERROR: 1001');
    await clock.advance(1);
    assert.equal(await submit(), 'ERROR_NO_SLOT_AVAILABLE');
  });

  it('answers ERROR: 1005 on res.php for 5 min after more than 20 polls of one task', async () => {
    const { clock, submit, call } = setup({
      profile: '2captcha',
      solveTime: { kind: 'fixed', ms: 600_000 },
    });
    const id = (await submit()).slice(3);
    for (let i = 0; i < 20; i++)
      assert.equal((await call('res.php', { action: 'get', id })).body, 'CAPCHA_NOT_READY');
    assert.equal((await call('res.php', { action: 'get', id })).body, 'ERROR: 1005');
    assert.equal((await call('res.php', { action: 'getbalance' })).body, 'ERROR: 1005');
    assert.match(await submit(), /^OK\|/, 'in.php is not blocked');
    await clock.advance(5 * 60_000);
    assert.equal((await call('res.php', { action: 'getbalance' })).body, '10');
  });

  it('enforces none of them in the captchaai profile by default', async () => {
    const { submit, call } = setup({
      defaultAccount: { threads: 1000 },
      solveTime: { kind: 'fixed', ms: 600_000 },
    });
    for (let i = 0; i < 100; i++) assert.match(await submit(), /^OK\|/);
    const id = (await submit()).slice(3);
    for (let i = 0; i < 30; i++)
      assert.equal((await call('res.php', { action: 'get', id })).body, 'CAPCHA_NOT_READY');
  });
});
