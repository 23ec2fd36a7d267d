import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../time/manual-clock.js';
import type { PingbackPayload } from './options.js';
import { Simulator } from './simulator.js';

const TASK = { method: 'turnstile', sitekey: '0x4AAA', pageurl: 'https://e.com/' };

function setup(threads = 5) {
  const clock = new ManualClock(100);
  const pingbacks: Array<[string, PingbackPayload, number]> = [];
  const sim = new Simulator(
    {
      solveTime: { kind: 'fixed', ms: 1000 },
      unsolvableRate: 0,
      defaultAccount: { threads },
      pingbackSender: (url, payload) => void pingbacks.push([url, payload, clock.now()]),
    },
    { clock },
  );
  const call = async (endpoint: 'in.php' | 'res.php', params: Record<string, string>) =>
    (await sim.handle({ endpoint, httpMethod: 'GET', params: { key: sim.defaultKey, ...params } }))
      .body;
  return { clock, sim, call, pingbacks };
}

describe('simulator stats', () => {
  it('counts identical tasks submitted twice, ignoring key/json/pingback/header_acao', async () => {
    const { sim, call } = setup();
    await call('in.php', TASK);
    await call('in.php', { ...TASK, json: '1', header_acao: '1', pingback: 'http://x/' });
    await call('in.php', { ...TASK, pageurl: 'https://e.com/other' });
    await call('in.php', { ...TASK, action: 'login' });
    const s = sim.stats();
    assert.equal(s.acceptedSubmits, 4);
    assert.equal(s.duplicateSubmits, 1);
  });

  it('does not count a retry after a capacity rejection as a duplicate', async () => {
    const { sim, call, clock } = setup(1);
    await call('in.php', TASK);
    const again = { ...TASK, pageurl: 'https://e.com/2' };
    assert.equal(await call('in.php', again), 'ERROR_ZERO_BALANCE');
    await clock.advance(1000);
    assert.match(await call('in.php', again), /^OK\|/);
    assert.equal(sim.stats().duplicateSubmits, 0);
  });

  it('counts requests, endpoints, polls per task and codes', async () => {
    const { sim, call, clock } = setup();
    const id = (await call('in.php', TASK)).slice(3);
    await call('res.php', { action: 'get', id });
    await call('res.php', { action: 'get', id });
    await clock.advance(1000);
    await call('res.php', { action: 'get', id });
    await call('res.php', { action: 'get', id: '1' });
    await call('res.php', { action: 'getbalance' });
    const s = sim.stats();
    assert.equal(s.requests, 6);
    assert.deepEqual(s.requestsByEndpoint, { 'in.php': 1, 'res.php': 5, 'solve.php': 0 });
    assert.equal(s.polls, 4);
    assert.deepEqual([...s.pollsByTask], [[id, 3]]);
    assert.deepEqual(s.codes, { CAPCHA_NOT_READY: 2, ERROR_WRONG_CAPTCHA_ID: 1 });
    assert.equal(s.collected, 1);
    assert.equal(s.billedSolves, 1);
    assert.equal(s.solveMsTotal, 1000);
    assert.equal(s.firstSubmitAt, 100);
    assert.equal(s.lastFinishAt, 1100);
  });

  it('bills solved tasks whether or not they are collected', async () => {
    const { sim, call, clock } = setup();
    await call('in.php', TASK);
    await clock.advance(1000);
    assert.equal(sim.stats().billedSolves, 1);
    assert.equal(sim.stats().collected, 0);
  });

  it('charges pricePerSolve and then refuses with ERROR_ZERO_BALANCE when the money is gone', async () => {
    const clock = new ManualClock(0);
    const sim = new Simulator(
      {
        profile: '2captcha',
        pricePerSolve: 1,
        unsolvableRate: 0,
        solveTime: { kind: 'fixed', ms: 10 },
        defaultAccount: { threads: 5, balance: 1 },
      },
      { clock },
    );
    const submit = async (n: number) =>
      (
        await sim.handle({
          endpoint: 'in.php',
          httpMethod: 'GET',
          params: { key: sim.defaultKey, ...TASK, pageurl: `https://e.com/${n}` },
        })
      ).body;
    assert.match(await submit(1), /^OK\|/);
    await clock.advance(10);
    assert.equal(sim.stats().balance, 0);
    assert.equal(await submit(2), 'ERROR_ZERO_BALANCE');
  });
});

describe('simulator pingback', () => {
  it('calls the sender when the task is solved, with id and answer', async () => {
    const { sim, call, clock, pingbacks } = setup();
    const id = (await call('in.php', { ...TASK, pingback: 'http://cb.example/hook' })).slice(3);
    await clock.advance(999);
    assert.equal(pingbacks.length, 0);
    await clock.advance(1);
    assert.deepEqual(pingbacks, [
      ['http://cb.example/hook', { id, code: sim.expectedAnswer(TASK) }, 1100],
    ]);
  });

  it('pings back unsolvable tasks only when asked', async () => {
    for (const on of [false, true]) {
      const clock = new ManualClock(0);
      const seen: PingbackPayload[] = [];
      const sim = new Simulator(
        {
          unsolvableRate: 1,
          pingbackOnUnsolvable: on,
          solveTime: { kind: 'fixed', ms: 5 },
          pingbackSender: (_u, p) => void seen.push(p),
        },
        { clock },
      );
      await sim.handle({
        endpoint: 'in.php',
        httpMethod: 'GET',
        params: { key: sim.defaultKey, ...TASK, pingback: 'http://x/' },
      });
      await clock.advance(5);
      assert.deepEqual(
        seen.map((p) => p.code),
        on ? ['ERROR_CAPTCHA_UNSOLVABLE'] : [],
      );
    }
  });

  it('survives a sender that throws, and close() cancels pending pingbacks', async () => {
    const clock = new ManualClock(0);
    const sim = new Simulator(
      {
        solveTime: { kind: 'fixed', ms: 5 },
        pingbackSender: () => {
          throw new Error('boom');
        },
      },
      { clock },
    );
    await sim.handle({
      endpoint: 'in.php',
      httpMethod: 'GET',
      params: { key: sim.defaultKey, ...TASK, pingback: 'http://x/' },
    });
    await clock.advance(5);
    await sim.handle({
      endpoint: 'in.php',
      httpMethod: 'GET',
      params: { key: sim.defaultKey, ...TASK, pingback: 'http://y/' },
    });
    assert.equal(clock.pendingTimers, 1);
    sim.close();
    assert.equal(clock.pendingTimers, 0);
  });
});
