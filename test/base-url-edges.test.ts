// The base URL as a user may write it: a path below which a gateway serves the API, credentials
// for that gateway. The path is honoured as a prefix; the credentials are sent as basic
// authorisation and are found nowhere else (journal, output, errors).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { NetworkError } from '../src/errors/network-error.js';
import { createHttpTransport } from '../src/transport/http-transport.js';
import { BATCH_FAST, distinctTasks, readRecords, writeJsonl } from './helpers/batch.js';
import { runCli } from './helpers/cli.js';
import { SECRET_KEY, startTestSimulator } from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-base-url-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = 'hunter2-gateway-pass';

function credentialed(url: string, prefix = ''): string {
  const u = new URL(url);
  return `${u.protocol}//gateway-user:${PASSWORD}@${u.host}${prefix}`;
}

describe('the base URL', () => {
  test('a path is a prefix of in.php and res.php, and credentials go as basic authorisation', async () => {
    const seen: Array<{ url: string | undefined; auth: string | undefined }> = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      res.end('OK|123');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const transport = createHttpTransport({
        baseUrl: credentialed(`http://127.0.0.1:${port}`, '/captcha/v1'),
      });
      await transport.send({ endpoint: 'in.php', httpMethod: 'POST', params: { key: 'k' } });
      await transport.send({ endpoint: 'res.php', httpMethod: 'GET', params: { action: 'get' } });
      await transport.close?.();
      assert.deepEqual(
        seen.map((s) => s.url),
        ['/captcha/v1/in.php', '/captcha/v1/res.php?action=get'],
      );
      const basic = `Basic ${Buffer.from(`gateway-user:${PASSWORD}`).toString('base64')}`;
      assert.deepEqual(
        seen.map((s) => s.auth),
        [basic, basic],
      );
    } finally {
      server.close();
    }
  });

  test('a network error names the host, never the credentials', async () => {
    const transport = createHttpTransport({ baseUrl: credentialed('http://127.0.0.1:9') });
    const error = await transport.send({ endpoint: 'in.php', httpMethod: 'POST', params: {} }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    await transport.close?.();
    assert.ok(error instanceof NetworkError, String(error));
    assert.match(error.message, /127\.0\.0\.1:9/);
    assert.ok(!error.message.includes(PASSWORD) && !error.message.includes('gateway-user'));
  });

  test('batch: the credentials reach neither the journal nor the output; the same service without them resumes', async () => {
    const target = await startTestSimulator({ timeScale: 0.01 });
    try {
      const input = join(dir, 'creds.jsonl');
      writeJsonl(input, distinctTasks(4, 'creds'));
      const out = join(dir, 'creds.out.jsonl');
      const env = { CAPTCHAAI_KEY: SECRET_KEY };
      const first = await runCli(
        ['batch', input, '--out', out, '--base-url', credentialed(target.url), ...BATCH_FAST],
        { env },
      );
      assert.equal(first.code, 0, first.stderr);
      assert.equal(readRecords(out).length, 4);
      const journalPath = `${input}.journal.sqlite`;
      const db = new Database(journalPath, { readonly: true });
      const meta = db.prepare('SELECT name, value FROM meta').all() as Array<{ value: string }>;
      db.close();
      for (const text of [
        JSON.stringify(meta),
        readFileSync(journalPath).toString('latin1'),
        first.stdout,
        first.stderr,
        readFileSync(out, 'utf8'),
      ]) {
        assert.ok(!text.includes(PASSWORD), 'the password is written somewhere');
      }
      // The journal names the service without the credentials, so the plain URL is the same one.
      const again = await runCli(
        ['batch', input, '--out', out, '--base-url', `${target.url}/`, ...BATCH_FAST],
        { env },
      );
      assert.equal(again.code, 0, again.stderr);
      assert.equal(readRecords(out).length, 4);
    } finally {
      await target.close();
    }
  });

  test('a base URL with a query is refused (exit 2, naming the flag), without quoting it', async () => {
    const run = await runCli(
      ['balance', '--key', SECRET_KEY, '--base-url', `http://u:${PASSWORD}@127.0.0.1:9/?x=1`],
      {},
    );
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--base-url must not have a query/);
    assert.ok(!run.stderr.includes(PASSWORD));
  });
});
