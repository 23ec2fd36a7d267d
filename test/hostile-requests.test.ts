// Every request is bounded in time and size, whatever the server does: real HTTP over loopback
// against servers that never answer, answer one byte at a time, or send bodies without end.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { NetworkError } from '../src/errors/network-error.js';
import { ProtocolError } from '../src/errors/protocol-error.js';
import { TimeoutError } from '../src/errors/timeout-error.js';
import type { RecaptchaV2Task } from '../src/index.js';
import { Solver } from '../src/solver/solver.js';
import { createHttpTransport } from '../src/transport/http-transport.js';
import type { ApiRequest } from '../src/transport/types.js';
import { runCli } from './helpers/cli.js';
import { startHostileServer, type HostileServer } from './helpers/hostile-server.js';

const KEY = '0123456789abcdef0123456789abcdef';
const SUBMIT: ApiRequest = { endpoint: 'in.php', httpMethod: 'POST', params: { key: KEY } };
const TOKEN_TASK: RecaptchaV2Task = {
  method: 'userrecaptcha',
  googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
  pageurl: 'https://example.com/',
};

const servers: HostileServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});
async function server(...args: Parameters<typeof startHostileServer>): Promise<HostileServer> {
  const started = await startHostileServer(...args);
  servers.push(started);
  return started;
}

/** Runs `work`, failing the test (instead of hanging it) if it takes longer than `ms`. */
async function within<T>(ms: number, work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  try {
    const value = await Promise.race([work(), guard]);
    return { value, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected a failure');
}

describe('one request', () => {
  test('an answer sent one byte at a time is given up at requestTimeoutMs, naming the host', async () => {
    const s = await server('trickle', { intervalMs: 50 });
    const transport = createHttpTransport({ baseUrl: s.url, requestTimeoutMs: 600 });
    const { value: error, ms } = await within(5_000, () => failure(transport.send(SUBMIT)));
    await transport.close?.();
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(error.code, 'ETIMEDOUT');
    assert.equal(error.mayHaveReachedServer, true);
    assert.match(error.message, new RegExp(s.host.replace('.', '\\.')));
    assert.ok(ms < 2_000, `${ms} ms`);
  });

  test('a server that never answers is given up at requestTimeoutMs, naming the host', async () => {
    const s = await server('hang');
    const transport = createHttpTransport({ baseUrl: s.url, requestTimeoutMs: 400 });
    const { value: error } = await within(5_000, () => failure(transport.send(SUBMIT)));
    await transport.close?.();
    assert.ok(error instanceof NetworkError, String(error));
    assert.ok(error.message.includes(s.host), error.message);
  });

  test('a body without end fails at maxResponseBytes as a ProtocolError naming the size, in bounded memory', async () => {
    const s = await server('endless');
    const transport = createHttpTransport({ baseUrl: s.url });
    const before = process.memoryUsage().rss;
    const { value: error } = await within(10_000, () => failure(transport.send(SUBMIT)));
    await transport.close?.();
    assert.ok(error instanceof ProtocolError, String(error));
    assert.match(error.message, /larger than 1048576 bytes/);
    const grownMb = (process.memoryUsage().rss - before) / (1 << 20);
    assert.ok(grownMb < 64, `RSS grew by ${grownMb.toFixed(0)} MB`);
  });

  test('a large body with a length fails the same way, and maxResponseBytes sets the bound', async () => {
    const s = await server('huge', { bytes: 200 << 20 });
    const transport = createHttpTransport({ baseUrl: s.url, maxResponseBytes: 4096 });
    const { value: error } = await within(10_000, () => failure(transport.send(SUBMIT)));
    await transport.close?.();
    assert.ok(error instanceof ProtocolError, String(error));
    assert.match(error.message, /larger than 4096 bytes/);
  });
});

describe('a solve against a hostile server', () => {
  test('the timeout bounds the solve, the limit discovery included, and close() leaves no socket open', async () => {
    const s = await server('hang');
    const solver = new Solver({ key: KEY, baseUrl: s.url, timeoutMs: { token: 1_000 } });
    const { value: error, ms } = await within(15_000, () => failure(solver.solve(TOKEN_TASK)));
    assert.ok(error instanceof TimeoutError, String(error));
    // The discovery's own deadline (3 s) and the task's timeout (1 s), with a margin.
    assert.ok(ms < 5_500, `${ms} ms`);
    await within(2_000, () => solver.close());
    await within(2_000, async () => {
      while (s.open > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    });
  });

  test('a timeout spent on failing requests says what failed last', async () => {
    const s = await server('endless');
    const solver = new Solver({
      key: KEY,
      baseUrl: s.url,
      timeoutMs: { token: 2_000 },
      discoverThreads: false,
    });
    const { value: error } = await within(15_000, () => failure(solver.solve(TOKEN_TASK)));
    await solver.close();
    assert.ok(error instanceof TimeoutError, String(error));
    assert.match(error.message, /the last request failed: UNPARSEABLE_RESPONSE/);
    assert.match(error.message, /larger than 1048576 bytes/);
    assert.ok(error.cause instanceof ProtocolError);
  });

  test('the CLI exits soon after --timeout against a server that never answers', async () => {
    const s = await server('hang');
    const started = performance.now();
    const run = await runCli(
      [
        'solve',
        '--key',
        KEY,
        '--base-url',
        s.url,
        '--timeout',
        '2000',
        '--method',
        'userrecaptcha',
        '--googlekey',
        TOKEN_TASK.googlekey,
        '--pageurl',
        TOKEN_TASK.pageurl,
      ],
      { timeoutMs: 40_000 },
    );
    const ms = performance.now() - started;
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /TIMEOUT/);
    // Startup under tsx, the discovery's 3 s and the 2 s timeout, with a margin.
    assert.ok(ms < 12_000, `${ms} ms`);
  });
});
