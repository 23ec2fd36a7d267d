// Pingbacks sent by the simulator's default HTTP sender to a real loopback listener.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Simulator, startSimulatorServer, type SimulatorServer } from '../src/simulator/index.js';
import type { SimulatorOptions } from '../src/simulator/index.js';
import { ManualClock } from '../src/time/manual-clock.js';

async function start(options: Partial<SimulatorOptions> = {}) {
  const clock = new ManualClock(0);
  const sim = new Simulator(
    { solveTime: { kind: 'fixed', ms: 1000 }, unsolvableRate: 0, ...options },
    { clock },
  );
  const server = await startSimulatorServer(sim, { port: 0 });
  return { clock, sim, server };
}

describe('simulator GET pingback (captchaai)', () => {
  let hook: {
    url: string;
    got: Promise<IncomingMessage & { body: string }>;
    close(): Promise<void>;
  };
  before(async () => {
    let resolve!: (m: IncomingMessage & { body: string }) => void;
    const got = new Promise<IncomingMessage & { body: string }>((r) => (resolve = r));
    const srv = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        resolve(Object.assign(req, { body }));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    hook = {
      url: `http://127.0.0.1:${port}/hook?x=1`,
      got,
      close: () => new Promise((r) => srv.close(() => r())),
    };
  });
  after(() => hook.close());

  it('sends a GET pingback with id and code (captchaai), and shrugs off a dead URL', async () => {
    const { sim, clock, server } = await start({ pingbackMethod: 'GET' });
    try {
      const params = { method: 'turnstile', sitekey: 's', pageurl: 'https://e.com/pb' };
      const base = { key: sim.defaultKey, ...params };
      const dead = await sim.handle({
        endpoint: 'in.php',
        httpMethod: 'GET',
        params: { ...base, pageurl: 'https://e.com/dead', pingback: 'http://127.0.0.1:1/x' },
      });
      const res = await sim.handle({
        endpoint: 'in.php',
        httpMethod: 'GET',
        params: { ...base, pingback: hook.url },
      });
      await clock.advance(1000);
      const req = await hook.got;
      const got = new URL(req.url ?? '', 'http://h');
      assert.equal(req.method, 'GET');
      assert.equal(got.searchParams.get('x'), '1');
      assert.equal(got.searchParams.get('id'), res.body.slice(3));
      assert.equal(got.searchParams.get('code'), sim.expectedAnswer(params));
      assert.match(dead.body, /^OK\|/);
    } finally {
      await server.close();
    }
  });
});

describe('simulator POST pingback (2captcha)', () => {
  let srv: SimulatorServer | undefined;
  after(() => srv?.close());
  it('posts id and code as a form', async () => {
    let resolve!: (v: { method: string; body: string }) => void;
    const got = new Promise<{ method: string; body: string }>((r) => (resolve = r));
    const hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        resolve({ method: req.method ?? '', body });
        res.end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const port = (hookServer.address() as AddressInfo).port;
    const ctx = await start({ profile: '2captcha' });
    srv = ctx.server;
    const res = await ctx.sim.handle({
      endpoint: 'in.php',
      httpMethod: 'GET',
      params: {
        key: ctx.sim.defaultKey,
        method: 'hcaptcha',
        sitekey: 's',
        pageurl: 'https://e/',
        pingback: `http://127.0.0.1:${port}/`,
      },
    });
    await ctx.clock.advance(1000);
    const { method, body } = await got;
    assert.equal(method, 'POST');
    assert.equal(new URLSearchParams(body).get('id'), res.body.slice(3));
    await new Promise<void>((r) => hookServer.close(() => r()));
  });
});
