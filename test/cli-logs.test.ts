// `--log-level` / `--log-file`: the CLI as a real child process against a loopback simulator with a
// recognisable key, behind a front that fails the first poll once (so a retry is logged).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from './helpers/cli.js';
import { FAST, GOOGLEKEY, PAGE } from './helpers/fixtures.js';
import {
  assertNoKeyLeak,
  SECRET_KEY,
  startTestSimulator,
  type TestSimulator,
} from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-logs-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Forwards every request to `target`, but answers the first poll with an nginx 502 page. */
async function failFirstPoll(target: string): Promise<{ url: string; server: Server }> {
  let failed = false;
  const server = createServer((req, res) => {
    if (!failed && /res\.php\?.*action=get(&|$)/.test(req.url ?? '')) {
      failed = true;
      req.resume();
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = { ...req.headers } as Record<string, string>;
      delete headers.host;
      fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'POST' && { body: Buffer.concat(chunks) }),
      }).then(
        async (answer) => {
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? '',
          });
          res.end(Buffer.from(await answer.arrayBuffer()));
        },
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

const TASK = ['--method', 'userrecaptcha', '--googlekey', GOOGLEKEY, '--pageurl', PAGE];

describe('captchaai --log-level / --log-file', () => {
  let sim: TestSimulator;
  let front: { url: string; server: Server };
  before(async () => {
    sim = await startTestSimulator();
    front = await failFirstPoll(sim.url);
  });
  after(async () => {
    front.server.closeAllConnections();
    await new Promise((resolve) => front.server.close(resolve));
    await sim.close();
  });

  test('solve --log-file: JSON lines for requests, the retry, the limit and the outcome; no key', async () => {
    const file = join(dir, 'solve.log');
    const run = await runCli([
      'solve',
      ...TASK,
      ...FAST,
      '--key',
      SECRET_KEY,
      '--base-url',
      front.url,
      '--log-level',
      'debug',
      '--log-file',
      file,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assertNoKeyLeak(run);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(SECRET_KEY) && !text.includes('SECRETKEY'), 'the log holds the key');
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === 'request');
    assert.ok(requests.some((l) => l.action === 'get' && l.outcome === 'HTTP_502'));
    assert.ok(requests.some((l) => l.endpoint === 'in.php' && l.outcome === 'OK'));
    assert.ok(requests.some((l) => l.action === 'get' && l.outcome === 'OK'));
    for (const event of ['retrying', 'limit-changed', 'solved'])
      assert.ok(
        lines.some((l) => l.event === event),
        `a ${event} line in ${text}`,
      );
    // The log went to the file: stderr holds only the CLI's own lines.
    assert.ok(!run.stderr.includes('"msg"'), run.stderr);
  });

  test('--log-level alone logs to stderr; stdout keeps only the answer', async () => {
    const run = await runCli([
      'balance',
      '--key',
      SECRET_KEY,
      '--base-url',
      sim.url,
      '--log-level',
      'debug',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assertNoKeyLeak(run);
    assert.equal(run.stdout, '10\n');
    const line = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request');
    assert.equal(line?.action, 'getbalance');
    assert.equal(line?.outcome, 'OK');
  });

  test('without the flags nothing is logged', async () => {
    const run = await runCli(['balance', '--key', SECRET_KEY, '--base-url', sim.url]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
  });

  test('--log-level nope is a usage error naming the flag (exit 2)', async () => {
    const run = await runCli(['balance', '--sim', '--log-level', 'nope']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--log-level/);
  });

  test('a --log-file that cannot be opened is a usage error naming the flag (exit 2)', async () => {
    const run = await runCli(['balance', '--sim', '--log-file', join(dir, 'no', 'such', 'x.log')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--log-file/);
  });
});
