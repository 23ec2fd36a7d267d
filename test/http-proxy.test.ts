// Proxies: HTTP_PROXY / NO_PROXY honoured by the built-in transport, and a dispatcher of the
// caller's, against the simulator over loopback HTTP through a real CONNECT proxy.
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Agent } from 'undici';
import { Solver } from '../src/solver/solver.js';
import { createHttpTransport } from '../src/transport/http-transport.js';
import { GOOGLEKEY, PAGE } from './helpers/fixtures.js';
import { startTestSimulator, type TestSimulator } from './helpers/simulator.js';

const TASK = { method: 'userrecaptcha' as const, googlekey: GOOGLEKEY, pageurl: PAGE };
const FAST = { firstPollDelayMs: { token: 20 }, pollIntervalMs: 20 } as const;

/** A forward proxy that only tunnels (CONNECT), counting the tunnels to each host:port. */
async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; close(): void }> {
  const tunnels: string[] = [];
  const server = http.createServer((_req, res) => {
    res.statusCode = 405;
    res.end();
  });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('proxies', () => {
  let sim: TestSimulator;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;

  before(async () => {
    sim = await startTestSimulator();
    proxy = await startConnectProxy();
  });
  after(async () => {
    proxy.close();
    await sim.close();
  });

  async function solveWith(transport: ReturnType<typeof createHttpTransport>) {
    const solver = new Solver({ key: sim.key, transport, ...FAST });
    try {
      return await solver.solve(TASK);
    } finally {
      await solver.close();
    }
  }

  test('HTTP_PROXY carries every request through the proxy', async () => {
    const before = proxy.tunnels.length;
    const env = { HTTP_PROXY: proxy.url };
    const result = await solveWith(createHttpTransport({ baseUrl: sim.url, env }));
    assert.equal(result.solution, sim.sim.expectedAnswer(TASK));
    const host = new URL(sim.url).host;
    const mine = proxy.tunnels.slice(before);
    assert.ok(mine.length >= 1, 'tunnelled through the proxy');
    assert.ok(
      mine.every((target) => target === host),
      mine.join(', '),
    );
  });

  test('NO_PROXY naming the host, or no proxy variable, goes direct', async () => {
    const before = proxy.tunnels.length;
    await solveWith(
      createHttpTransport({
        baseUrl: sim.url,
        env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
      }),
    );
    await solveWith(createHttpTransport({ baseUrl: sim.url, env: {} }));
    assert.equal(proxy.tunnels.length, before);
  });

  test("a dispatcher of the caller's carries the requests and stays open after close()", async () => {
    let dispatched = 0;
    const agent = new Agent();
    const counting = agent.compose((dispatch) => (options, handler) => {
      dispatched++;
      return dispatch(options, handler);
    });
    const solver = new Solver({ key: sim.key, baseUrl: sim.url, dispatcher: counting, ...FAST });
    const result = await solver.solve(TASK);
    await solver.close();
    assert.equal(result.solution, sim.sim.expectedAnswer(TASK));
    assert.ok(dispatched >= 2, `${dispatched} requests through the dispatcher`);
    assert.equal(agent.closed, false, 'the caller closes its own dispatcher');
    await agent.close();
  });
});
