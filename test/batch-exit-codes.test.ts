// `captchaai batch` exit codes, each from a real child process: 0 every line solved, 1 every line
// has a result but some are errors, 4 some lines still pending after service errors (the summary
// names each cause and its lines, never the key), and -q hides the summary but not the code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { distinctTasks, readRecords, writeJsonl, type ResultRecord } from './helpers/batch.js';
import { runCli } from './helpers/cli.js';
import { assertNoKeyLeak, SECRET_KEY } from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-exit-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const ENV = { CAPTCHAAI_KEY: SECRET_KEY };
/** One attempt per request and short waits: a dead service fails each line at once. */
const ONE_TRY = ['--max-attempts', '1', '--first-poll-delay', '50', '--poll-interval', '50'];
const SIM = ['--sim', '--sim-speed', '50', ...ONE_TRY];

function stdoutRecords(stdout: string): ResultRecord[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ResultRecord);
}

function tasksFile(name: string, lines: ReadonlyArray<object | string>): string {
  const path = join(dir, `${name}.jsonl`);
  writeJsonl(path, lines);
  return path;
}

describe('captchaai batch exit codes', { concurrency: true }, () => {
  /** Answers 404 on every path, as a wrong --base-url path does. */
  let notFound: { url: string; requests: number; close(): Promise<void> };
  before(async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    notFound = {
      url: `http://127.0.0.1:${port}/wrong/path`,
      get requests() {
        return requests;
      },
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  });
  after(() => notFound.close());

  test('every line solved: 0', async () => {
    const path = tasksFile('all-ok', distinctTasks(3, 'ok'));
    const run = await runCli(['batch', path, ...SIM]);
    assert.equal(run.code, 0, run.stderr);
    const records = stdoutRecords(run.stdout);
    assert.equal(records.length, 3);
    assert.ok(records.every((r) => r.status === 'ok'));
    assert.match(run.stderr, /done: every line has a result/);
  });

  test('every line invalid: 1 (each has its error result), also with -q', async () => {
    const path = tasksFile('all-bad', ['x', '{"method":"userrecaptcha"}', '[1]']);
    const run = await runCli(['batch', path, ...SIM, '-q']);
    assert.equal(run.code, 1, run.stderr);
    const records = stdoutRecords(run.stdout);
    assert.deepEqual(
      records.map((r) => [r.id, r.status, r.error]),
      [
        [1, 'error', 'INVALID_TASK'],
        [2, 'error', 'INVALID_TASK'],
        [3, 'error', 'INVALID_TASK'],
      ],
    );
    assert.equal(run.stderr, '', '-q prints no summary');
  });

  test('some lines solved, some failed: 1, and the summary counts both', async () => {
    const [a, b] = distinctTasks(2, 'mix');
    const path = tasksFile('mix', [a ?? {}, '{"method":"turnstile"}', b ?? {}]);
    const out = join(dir, 'mix.out.jsonl');
    const run = await runCli(['batch', path, '--out', out, ...SIM]);
    assert.equal(run.code, 1, run.stderr);
    const records = readRecords(out);
    assert.deepEqual(records.map((r) => r.status).sort(), ['error', 'ok', 'ok']);
    assert.match(run.stderr, /3 lines read; 2 ok, 1 failed \(INVALID_TASK 1\)/);
    assert.match(run.stderr, /done: every line has a result/);
  });

  test('a dead port: 4, and the summary names ECONNREFUSED and the lines, never the key', async () => {
    const path = tasksFile('dead', distinctTasks(2, 'dead'));
    const run = await runCli(['batch', path, '--base-url', 'http://127.0.0.1:1', ...ONE_TRY], {
      env: ENV,
    });
    assert.equal(run.code, 4, run.stderr);
    assert.equal(run.stdout, '', 'a pending line has no result line');
    assert.match(run.stderr, /2 lines read; 0 ok, 0 failed, 2 pending/);
    assert.match(
      run.stderr,
      /^batch: 2 lines pending: ECONNREFUSED connecting to 127\.0\.0\.1:1 \(lines 1, 2\)$/m,
    );
    assert.match(run.stderr, /finished with lines pending: 2 left pending after service errors/);
    assertNoKeyLeak(run);

    // -q: no summary, the same exit code.
    const quiet = await runCli(
      ['batch', path, '--base-url', 'http://127.0.0.1:1', ...ONE_TRY, '-q'],
      { env: ENV },
    );
    assert.equal(quiet.code, 4, quiet.stderr);
    assert.doesNotMatch(quiet.stderr, /pending/);
    assertNoKeyLeak(quiet);
  });

  test('a base URL whose path answers 404: 4, and the summary names HTTP_404 from in.php', async () => {
    const before = notFound.requests;
    const path = tasksFile('not-found', distinctTasks(2, '404'));
    const run = await runCli(['batch', path, '--base-url', notFound.url, ...ONE_TRY], {
      env: ENV,
    });
    assert.equal(run.code, 4, run.stderr);
    assert.ok(notFound.requests > before, 'the submits reached the server');
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^batch: 2 lines pending: HTTP_404 from in\.php \(lines 1, 2\)$/m);
    assertNoKeyLeak(run);
  });

  test('pending wins over failed: a bad line and a dead port give 4, the bad line its result', async () => {
    const [task] = distinctTasks(1, 'both');
    const path = tasksFile('both', ['not json', task ?? {}]);
    const run = await runCli(['batch', path, '--base-url', 'http://127.0.0.1:1', ...ONE_TRY], {
      env: ENV,
    });
    assert.equal(run.code, 4, run.stderr);
    assert.deepEqual(
      stdoutRecords(run.stdout).map((r) => [r.id, r.error]),
      [[1, 'INVALID_TASK']],
    );
    assert.match(run.stderr, /^batch: 1 line pending: ECONNREFUSED .* \(line 2\)$/m);
    assertNoKeyLeak(run);
  });
});
