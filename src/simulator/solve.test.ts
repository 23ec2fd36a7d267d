import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiEndpoint } from '../errors/api-error.js';
import { ManualClock } from '../time/manual-clock.js';
import { seededRandom } from '../time/random.js';
import type { SimulatorOptions } from './options.js';
import { Simulator } from './simulator.js';

const IMAGE = Buffer.alloc(200, 7).toString('base64');

function setup(options: Partial<SimulatorOptions> = {}, seed?: number) {
  const clock = new ManualClock(0);
  const deps = seed === undefined ? { clock } : { clock, random: seededRandom(seed) };
  const sim = new Simulator({ defaultAccount: { threads: 100_000 }, ...options }, deps);
  let n = 0;
  const call = (endpoint: ApiEndpoint, params: Record<string, string>) =>
    sim.handle({ endpoint, httpMethod: 'POST', params: { key: sim.defaultKey, ...params } });
  const submit = async (params: Record<string, string> = {}) => {
    const body = Buffer.alloc(200, n++).toString('base64');
    const res = await call('in.php', { method: 'base64', body, ...params });
    assert.match(res.body, /^OK\|\d+$/);
    return res.body.slice(3);
  };
  const poll = async (id: string) => (await call('res.php', { action: 'get', id })).body;
  return { clock, sim, call, submit, poll };
}

describe('simulator solving', () => {
  it('finishes a task exactly at its drawn solve time', async () => {
    const { sim, clock, submit, poll } = setup({ unsolvableRate: 0 });
    const id = await submit();
    const info = sim.inspectTask(id);
    assert.ok(info && info.doneAt > 0);
    await clock.advance(info.doneAt - 1);
    assert.equal(await poll(id), 'CAPCHA_NOT_READY');
    await clock.advance(1);
    assert.match(await poll(id), /^OK\|[a-z0-9]{6}$/);
    assert.equal(sim.stats().billedSolves, 1);
  });

  it('is deterministic per seed: same ids, same times, same outcomes', async () => {
    const run = async (seed: number) => {
      const { sim, submit } = setup({ seed, unsolvableRate: 0.3 });
      const out: string[] = [];
      for (let i = 0; i < 20; i++) {
        const id = await submit();
        const t = sim.inspectTask(id);
        out.push(`${id}:${t?.doneAt}:${t?.outcome}`);
      }
      return { key: sim.defaultKey, out };
    };
    assert.deepEqual(await run(42), await run(42));
    assert.notDeepEqual((await run(42)).out, (await run(43)).out);
    assert.notEqual((await run(42)).key, (await run(43)).key);
  });

  it('issues increasing numeric ids from a random-looking start', async () => {
    const { submit } = setup();
    const a = Number(await submit());
    const b = Number(await submit());
    assert.ok(a > 1_000_000_000 && a < Number.MAX_SAFE_INTEGER);
    assert.equal(b, a + 1);
  });

  it('draws log-normal times around the per-method median', async () => {
    const { sim, submit } = setup({ unsolvableRate: 0 });
    const times: number[] = [];
    for (let i = 0; i < 2001; i++) {
      const id = await submit();
      times.push(sim.inspectTask(id)?.doneAt ?? NaN);
    }
    times.sort((x, y) => x - y);
    const median = times[1000] ?? 0;
    assert.ok(median > 2700 && median < 3300, `median ${median}`);
    assert.ok((times[0] ?? 0) < 1500 && (times[2000] ?? 0) > 6000, 'a spread, not a constant');
  });

  it('uses the category of the method (v3 ≈ 5 s, v2 ≈ 20 s)', async () => {
    const { sim, call } = setup({ solveTimes: { recaptchaV3: { medianMs: 5000, sigma: 0 } } });
    const res = await call('in.php', {
      method: 'userrecaptcha',
      version: 'v3',
      googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
      pageurl: 'https://e.com/',
    });
    assert.equal(sim.inspectTask(res.body.slice(3))?.doneAt, 5000);
    assert.equal(sim.meanSolveMs('recaptchaV3'), 5000);
  });

  it('scales every time by timeScale', async () => {
    const { sim, submit } = setup({ timeScale: 0.01, solveTime: { kind: 'fixed', ms: 3000 } });
    assert.equal(sim.inspectTask(await submit())?.doneAt, 30);
    assert.equal(sim.meanSolveMs('image'), 30);
  });

  it('accepts Pareto and function distributions', async () => {
    const pareto = setup({
      solveTime: { kind: 'pareto', scaleMs: 1000, alpha: 1.5, maxMs: 60_000 },
    });
    for (let i = 0; i < 50; i++) {
      const t = pareto.sim.inspectTask(await pareto.submit())?.doneAt ?? 0;
      assert.ok(t >= 1000 && t <= 60_000, `pareto ${t}`);
    }
    const fn = setup({
      solveTime: (category, random) => (category === 'image' ? 100 + random() : 0),
    });
    const t = fn.sim.inspectTask(await fn.submit())?.doneAt ?? 0;
    assert.ok(t === 100 || t === 101);
    assert.equal(fn.sim.meanSolveMs('image'), undefined);
  });

  it('ends a share of tasks in ERROR_CAPTCHA_UNSOLVABLE, not billed', async () => {
    const { sim, clock, submit, poll } = setup({
      unsolvableRate: 1,
      solveTime: { kind: 'fixed', ms: 10 },
    });
    const id = await submit();
    await clock.advance(10);
    assert.equal(await poll(id), 'ERROR_CAPTCHA_UNSOLVABLE');
    const s = sim.stats();
    assert.equal(s.unsolvable, 1);
    assert.equal(s.billedSolves, 0);
    assert.equal(s.collected, 1);
  });

  it('forgets results after retentionMs (ERROR_WRONG_CAPTCHA_ID) and drops the record', async () => {
    const { sim, clock, submit, poll } = setup({
      retentionMs: 60_000,
      solveTime: { kind: 'fixed', ms: 1000 },
    });
    const id = await submit();
    await clock.advance(60_999);
    assert.match(await poll(id), /^OK\|/);
    assert.equal(sim.liveTasks, 1);
    await clock.advance(1);
    assert.equal(await poll(id), 'ERROR_WRONG_CAPTCHA_ID');
    assert.equal(sim.liveTasks, 0);
  });

  it('keeps memory bounded by retention over many tasks', async () => {
    const { sim, clock, call } = setup({
      retentionMs: 1000,
      solveTime: { kind: 'fixed', ms: 100 },
    });
    const params = { method: 'turnstile', sitekey: '0x4AAA', pageurl: 'https://e.com/' };
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 2500; i++)
        await call('in.php', { ...params, pageurl: `https://e.com/${round}/${i}` });
      await clock.advance(600);
    }
    assert.equal(sim.stats().acceptedSubmits, 50_000);
    assert.ok(sim.liveTasks <= 5000, `live ${sim.liveTasks}`);
    await clock.advance(2000);
    assert.equal(sim.liveTasks, 0);
  });

  it('answers solve.php after the solve time, holding a slot meanwhile', async () => {
    const { sim, clock, call } = setup({
      solveTime: { kind: 'fixed', ms: 3000 },
      unsolvableRate: 0,
    });
    const pending = call('solve.php', { method: 'base64', body: IMAGE, json: '1' });
    await clock.advance(2999);
    assert.equal(sim.stats().slotsInUse, 1);
    await clock.advance(1);
    const res = await pending;
    const expected = sim.expectedAnswer({ method: 'base64', body: IMAGE });
    assert.deepEqual(JSON.parse(res.body), { status: 1, request: expected });
    assert.equal(sim.stats().slotsInUse, 0);
    const token = await call('solve.php', {
      method: 'turnstile',
      sitekey: 'x',
      pageurl: 'https://e.com',
    });
    assert.equal(token.body, 'ERROR_BAD_PARAMETERS');
  });
});
