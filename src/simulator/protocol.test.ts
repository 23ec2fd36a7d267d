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
  const call = (endpoint: ApiEndpoint, params: Record<string, string>) =>
    sim.handle({ endpoint, httpMethod: 'GET', params: { key: sim.defaultKey, ...params } });
  const task = () => ({
    method: 'userrecaptcha',
    googlekey: GOOGLEKEY,
    pageurl: `https://e.com/${n++}`,
  });
  const submit = async () => (await call('in.php', task())).body.slice(3);
  const res = async (params: Record<string, string>) => (await call('res.php', params)).body;
  return { clock, sim, call, task, submit, res };
}

describe('simulator wire forms', () => {
  it('answers in.php with a JSON number id by default, a string when switched off', async () => {
    const a = setup();
    const json = await a.call('in.php', { ...a.task(), json: '1' });
    const parsed = JSON.parse(json.body) as { status: number; request: unknown };
    assert.equal(parsed.status, 1);
    assert.equal(typeof parsed.request, 'number');
    assert.equal(json.headers['content-type'], 'application/json');
    const b = setup({ jsonIdAsNumber: false });
    const str = JSON.parse((await b.call('in.php', { ...b.task(), json: '1' })).body) as {
      request: unknown;
    };
    assert.equal(typeof str.request, 'string');
    assert.match((await b.call('in.php', b.task())).body, /^OK\|\d+$/);
  });

  it('answers polls in text and JSON, with the misspelt CAPCHA_NOT_READY', async () => {
    const { clock, call, submit, sim, task } = setup();
    const id = await submit();
    assert.equal((await call('res.php', { action: 'get', id })).body, 'CAPCHA_NOT_READY');
    const notReady = await call('res.php', { action: 'get', id, json: '1' });
    assert.deepEqual(JSON.parse(notReady.body), { status: 0, request: 'CAPCHA_NOT_READY' });
    await clock.advance(1000);
    const expected = sim.expectedAnswer({ ...task(), pageurl: 'https://e.com/0' });
    assert.equal((await call('res.php', { action: 'get', id })).body, `OK|${expected as string}`);
    const done = await call('res.php', { action: 'get', id, json: '1' });
    assert.deepEqual(JSON.parse(done.body), { status: 1, request: expected });
    assert.equal(done.status, 200);
  });

  it('answers errors as bare codes, or JSON with error_text', async () => {
    const { call } = setup();
    assert.equal(
      (await call('res.php', { action: 'get', id: 'abc' })).body,
      'ERROR_WRONG_ID_FORMAT',
    );
    const json = JSON.parse(
      (await call('res.php', { action: 'get', id: '12', json: '1' })).body,
    ) as Record<string, unknown>;
    assert.equal(json.status, 0);
    assert.equal(json.request, 'ERROR_WRONG_CAPTCHA_ID');
    assert.equal(typeof json.error_text, 'string');
    assert.equal((await call('res.php', {})).body, 'ERROR_EMPTY_ACTION');
    assert.equal((await call('res.php', { action: '' })).body, 'ERROR_EMPTY_ACTION');
    assert.equal((await call('res.php', { action: 'nope' })).body, 'ERROR_BAD_PARAMETERS');
  });

  it('adds Access-Control-Allow-Origin with header_acao=1', async () => {
    const { call } = setup();
    const plain = await call('res.php', { action: 'getbalance' });
    assert.equal(plain.headers['access-control-allow-origin'], undefined);
    const acao = await call('res.php', { action: 'getbalance', header_acao: '1' });
    assert.equal(acao.headers['access-control-allow-origin'], '*');
  });

  it('does not show one account the tasks of another', async () => {
    const { sim, submit } = setup();
    const id = await submit();
    const other = sim.addAccount({ threads: 1 });
    const res = await sim.handle({
      endpoint: 'res.php',
      httpMethod: 'GET',
      params: { key: other, action: 'get', id },
    });
    assert.equal(res.body, 'ERROR_WRONG_CAPTCHA_ID');
  });

  it('answers getbalance as a bare decimal', async () => {
    const { sim, res } = setup();
    sim.addAccount({ threads: 1, balance: 12.3456, key: 'c'.repeat(32) });
    const s = await sim.handle({
      endpoint: 'res.php',
      httpMethod: 'GET',
      params: { key: 'c'.repeat(32), action: 'getbalance' },
    });
    assert.equal(s.body, '12.3456');
    assert.deepEqual(JSON.parse(await res({ action: 'getbalance', json: '1' })), {
      status: 1,
      request: '10',
    });
  });

  it('answers reports with an empty 200 (captchaai) or OK_REPORT_RECORDED (2captcha)', async () => {
    const ca = setup();
    const id = await ca.submit();
    const empty = await ca.call('res.php', { action: 'reportgood', id });
    assert.equal(empty.status, 200);
    assert.equal(empty.body, '');
    assert.equal(await ca.res({ action: 'reportbad', id: '1' }), 'ERROR_WRONG_CAPTCHA_ID');
    assert.equal(await ca.res({ action: 'reportbad', id: 'x' }), 'ERROR_WRONG_ID_FORMAT');
    assert.equal(ca.sim.stats().reportsGood, 1);
    const tc = setup({ profile: '2captcha' });
    const id2 = await tc.submit();
    assert.equal(await tc.res({ action: 'reportbad', id: id2 }), 'OK_REPORT_RECORDED');
    assert.deepEqual(JSON.parse(await tc.res({ action: 'reportgood', id: id2, json: '1' })), {
      status: 1,
      request: 'OK_REPORT_RECORDED',
    });
    assert.equal(tc.sim.stats().reportsBad, 1);
  });

  it('answers threadsinfo in both forms, or ERROR_BAD_PARAMETERS when off', async () => {
    const { submit, res } = setup({ defaultAccount: { threads: 5 } });
    await submit();
    await submit();
    assert.equal(
      await res({ action: 'threadsinfo' }),
      'threads=5,working_threads=2,free_threads=3',
    );
    assert.deepEqual(JSON.parse(await res({ action: 'threadsinfo', json: '1' })), {
      status: 1,
      request: { threads: 5, working_threads: 2, free_threads: 3 },
    });
    const off = setup({ threadsInfo: false });
    assert.equal(await off.res({ action: 'threadsinfo' }), 'ERROR_BAD_PARAMETERS');
  });

  it('answers ids= batch polls in order when on', async () => {
    const { clock, sim, submit, res, task } = setup({ batchPoll: true });
    const a = await submit();
    await clock.advance(500);
    const b = await submit();
    await clock.advance(500);
    const answer = sim.expectedAnswer({ ...task(), pageurl: 'https://e.com/0' }) as string;
    const ids = `${a},${b},123`;
    assert.equal(
      await res({ action: 'get', ids }),
      `${answer}|CAPCHA_NOT_READY|ERROR_WRONG_CAPTCHA_ID`,
    );
    assert.deepEqual(JSON.parse(await res({ action: 'get', ids: `${a},${b}`, json: '1' })), {
      status: 1,
      request: `${answer}|CAPCHA_NOT_READY`,
    });
    assert.equal(await res({ action: 'get', ids: `${a},x` }), 'ERROR_WRONG_ID_FORMAT');
    const s = sim.stats();
    assert.equal(s.batchPolls, 3);
    assert.equal(s.pollsByTask.get(a), 2);
  });

  it('refuses ids= with ERROR_WRONG_ID_FORMAT when off (the default)', async () => {
    const { submit, res } = setup();
    const a = await submit();
    assert.equal(await res({ action: 'get', ids: `${a},${a}` }), 'ERROR_WRONG_ID_FORMAT');
    assert.equal(await res({ action: 'get', ids: a, id: a }), 'CAPCHA_NOT_READY');
  });

  it('caps the ids of one batch poll', async () => {
    const { res } = setup({ batchPoll: true, batchPollMax: 2 });
    assert.equal(await res({ action: 'get', ids: '1,2,3' }), 'ERROR_BAD_PARAMETERS');
  });
});
