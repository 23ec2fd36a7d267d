import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Simulator, startSimulatorServer } from '../src/simulator/index.js';
import type { SimulatorOptions } from '../src/simulator/index.js';
import { ManualClock } from '../src/time/manual-clock.js';

const GK = '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-';
const PNG = new Uint8Array(
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(300, 3)]),
);

async function start(options: Partial<SimulatorOptions> = {}) {
  const clock = new ManualClock(0);
  const sim = new Simulator(
    { solveTime: { kind: 'fixed', ms: 1000 }, unsolvableRate: 0, ...options },
    { clock },
  );
  const server = await startSimulatorServer(sim, { port: 0 });
  return { clock, sim, server };
}

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe('simulator over loopback HTTP', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  let url: string;
  let key: string;
  before(async () => {
    ctx = await start();
    url = ctx.server.url;
    key = ctx.sim.defaultKey;
  });
  after(() => ctx.server.close());

  it('binds to 127.0.0.1 on a free port', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(ctx.server.port > 0);
  });

  it('submits by GET and polls by GET in text mode', async () => {
    const q = form({ key, method: 'userrecaptcha', googlekey: GK, pageurl: 'https://e.com/get' });
    const sub = await fetch(`${url}/in.php?${q}`);
    const body = await sub.text();
    assert.match(body, /^OK\|\d+$/);
    const id = body.slice(3);
    const poll = () =>
      fetch(`${url}/res.php?${form({ key, action: 'get', id })}`).then((r) => r.text());
    assert.equal(await poll(), 'CAPCHA_NOT_READY');
    await ctx.clock.advance(1000);
    const expected = ctx.sim.expectedAnswer({
      method: 'userrecaptcha',
      googlekey: GK,
      pageurl: 'https://e.com/get',
    }) as string;
    assert.equal(await poll(), `OK|${expected}`);
  });

  it('submits by urlencoded POST and polls by POST in JSON mode', async () => {
    const params = { method: 'turnstile', sitekey: '0x4AAA', pageurl: 'https://e.com/post' };
    const sub = await fetch(`${url}/in.php`, {
      method: 'POST',
      body: form({ key, json: '1', ...params }),
    });
    assert.equal(sub.headers.get('content-type'), 'application/json');
    const { status, request } = (await sub.json()) as { status: number; request: number };
    assert.equal(status, 1);
    assert.equal(typeof request, 'number');
    await ctx.clock.advance(1000);
    const res = await fetch(`${url}/res.php`, {
      method: 'POST',
      body: new URLSearchParams({
        key,
        action: 'get',
        id: String(request),
        json: '1',
        header_acao: '1',
      }),
    });
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await res.json(), { status: 1, request: ctx.sim.expectedAnswer(params) });
  });

  it('reads a multipart upload (method=post) as the file', async () => {
    const fd = new FormData();
    fd.set('key', key);
    fd.set('method', 'post');
    fd.set('json', '1');
    fd.set('file', new Blob([PNG], { type: 'image/png' }), 'captcha.png');
    const sub = (await (await fetch(`${url}/in.php`, { method: 'POST', body: fd })).json()) as {
      request: number;
    };
    await ctx.clock.advance(1000);
    const res = await fetch(
      `${url}/res.php?${form({ key, action: 'get', id: String(sub.request), json: '1' })}`,
    );
    assert.deepEqual(await res.json(), {
      status: 1,
      request: ctx.sim.expectedAnswer({ method: 'post' }, PNG),
    });
  });

  it('checks the multipart file extension, and answers ERROR_UPLOAD for a broken body', async () => {
    const fd = new FormData();
    fd.set('key', key);
    fd.set('method', 'post');
    fd.set('file', new Blob([PNG]), 'captcha.tiff');
    assert.equal(
      await (await fetch(`${url}/in.php`, { method: 'POST', body: fd })).text(),
      'ERROR_WRONG_FILE_EXTENSION',
    );
    const broken = await fetch(`${url}/in.php?key=${key}`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: 'this is not multipart',
    });
    assert.equal(await broken.text(), 'ERROR_UPLOAD');
  });

  it('answers solve.php in one request once the solve time passed', async () => {
    const fd = new FormData();
    fd.set('key', key);
    fd.set('method', 'post');
    fd.set('file', new Blob([PNG]), 'c.jpg');
    const pending = fetch(`${url}/solve.php`, { method: 'POST', body: fd }).then((r) => r.text());
    while (ctx.clock.pendingTimers === 0) await new Promise((r) => setImmediate(r));
    await ctx.clock.advance(1000);
    assert.equal(await pending, `OK|${ctx.sim.expectedAnswer({ method: 'post' }, PNG) as string}`);
  });

  it('serves /__sim/stats per key and for all accounts with masked keys', async () => {
    const one = (await (await fetch(`${url}/__sim/stats?key=${key}`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(one.key, `${key.slice(0, 4)}…`);
    assert.ok((one.acceptedSubmits as number) >= 3);
    assert.equal(typeof one.pollsByTask, 'object');
    const all = (await (await fetch(`${url}/__sim/stats`)).json()) as {
      accounts: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(all.accounts), [`${key.slice(0, 4)}…`]);
    assert.ok(!JSON.stringify(all).includes(key));
    assert.equal((await fetch(`${url}/__sim/stats?key=nokey`)).status, 404);
  });

  it('answers 404 elsewhere', async () => {
    const res = await fetch(`${url}/api/createTask`);
    assert.equal(res.status, 404);
    await res.text();
  });
});

describe('simulator HTTP faults', () => {
  it('answers a 502 HTML page', async () => {
    const { server } = await start({ faults: { html502: 1 } });
    try {
      const res = await fetch(`${server.url}/res.php?action=getbalance`);
      assert.equal(res.status, 502);
      assert.match(await res.text(), /502 Bad Gateway/);
    } finally {
      await server.close();
    }
  });

  it('resets the connection without an answer; after processing, the task exists', async () => {
    const { server, sim } = await start({ faults: { reset: 1, afterProcessing: 1 } });
    try {
      const q = form({
        key: sim.defaultKey,
        method: 'turnstile',
        sitekey: 's',
        pageurl: 'https://e.com/',
      });
      await assert.rejects(fetch(`${server.url}/in.php?${q}`), (e: unknown) => {
        assert.ok(e instanceof TypeError);
        return true;
      });
      assert.equal(sim.stats().acceptedSubmits, 1);
      assert.equal(sim.stats().faults.resetAfter, 1);
    } finally {
      await server.close();
    }
  });
});

describe('simulator HTTP lifecycle', () => {
  it('stops answering after close()', async () => {
    const { server } = await start();
    const base = server.url;
    assert.equal(await (await fetch(`${base}/res.php`)).text(), 'ERROR_WRONG_USER_KEY');
    await server.close();
    await assert.rejects(fetch(`${base}/res.php`));
  });
});
