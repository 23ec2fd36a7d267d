// Command-line edges that used to slip through to the network or to an UNEXPECTED error: each is
// now a usage error (exit 2) naming the flag, with nothing sent.
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isLoopback } from '../src/cli/commands/sim.js';
import { ChildOutput, inParallel, runCli, spawnCli, type CliRun } from './helpers/cli.js';
import { PAGE } from './helpers/fixtures.js';
import { SECRET_KEY, startCountingServer, startTestSimulator } from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-edges-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TASK = ['--method', 'turnstile', '--sitekey', 'x', '--pageurl', PAGE];
const TASK_LINE = `${JSON.stringify({ method: 'turnstile', sitekey: 'x', pageurl: PAGE })}\n`;

function assertUsage(run: CliRun, flag: string, label: string): void {
  assert.equal(run.code, 2, `${label}: ${run.stderr}`);
  assert.match(run.stderr, /^error: USAGE: /m, label);
  assert.ok(run.stderr.includes(flag), `${label}: the error does not name ${flag}: ${run.stderr}`);
}

/** A fresh tasks file in its own folder, so each run has a journal of its own. */
function tasksFile(name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'tasks.jsonl');
  writeFileSync(path, TASK_LINE);
  return path;
}

describe('CLI edges: usage errors before anything is sent', { concurrency: true }, () => {
  test('a --key that is not 32 letters and digits: exit 2 naming --key, no request', async () => {
    const server = await startCountingServer();
    try {
      const bad = [
        'abc',
        'a'.repeat(31),
        'a'.repeat(33),
        `${'a'.repeat(31)}-`,
        `${'a'.repeat(31)}é`,
      ];
      const runs = await inParallel(
        5,
        bad.map((key) => () => runCli(['solve', '--key', key, ...TASK, '--base-url', server.url])),
      );
      runs.forEach((run, i) => {
        assertUsage(run, '--key', `key #${i}`);
        assert.match(run.stderr, /32 letters and digits/);
      });
      const balance = await runCli(['balance', '--key', 'abc', '--base-url', server.url]);
      assertUsage(balance, '--key', 'balance');
      const batch = await runCli([
        'batch',
        tasksFile('key'),
        '--key',
        'abc',
        '--base-url',
        server.url,
      ]);
      assertUsage(batch, '--key', 'batch');
      assert.equal(server.count(), 0, 'a request was sent');
    } finally {
      await server.close();
    }
  });

  test('the real key forms (32 hex or alphanumeric characters) are still accepted', async () => {
    const target = await startTestSimulator();
    try {
      const run = await runCli(['balance', '--key', SECRET_KEY, '--base-url', target.url]);
      assert.equal(run.code, 0, run.stderr);
      // Well formed but unknown to the simulator: sent, and refused by the service (exit 3).
      const hex = await runCli([
        'balance',
        '--key',
        '0123456789abcdef'.repeat(2),
        '--base-url',
        target.url,
      ]);
      assert.equal(hex.code, 3, hex.stderr);
      assert.match(hex.stderr, /ERROR_KEY_DOES_NOT_EXIST/);
    } finally {
      await target.close();
    }
  });

  test('durations under their floor (--timeout, --capacity-wait 1000 ms; --poll-interval 10 ms): exit 2 naming the flag and the unit', async () => {
    const server = await startCountingServer();
    try {
      const url = ['--key', SECRET_KEY, '--base-url', server.url];
      const cases = [
        { flag: '--timeout', floor: 1000, run: ['solve', ...url, ...TASK, '--timeout', '1.5'] },
        { flag: '--timeout', floor: 1000, run: ['solve', ...url, ...TASK, '--timeout', '999'] },
        {
          flag: '--timeout',
          floor: 1000,
          run: ['batch', tasksFile('timeout'), ...url, '--timeout', '1.5'],
        },
        {
          flag: '--capacity-wait',
          floor: 1000,
          run: ['batch', tasksFile('capacity'), ...url, '--capacity-wait', '30'],
        },
        {
          flag: '--poll-interval',
          floor: 10,
          run: ['solve', ...url, ...TASK, '--poll-interval', '1.5'],
        },
        {
          flag: '--poll-interval',
          floor: 10,
          run: ['batch', tasksFile('poll'), ...url, '--poll-interval', '5'],
        },
      ];
      const runs = await inParallel(
        6,
        cases.map((c) => () => runCli(c.run)),
      );
      runs.forEach((run, i) => {
        const { flag, floor } = cases[i]!;
        assertUsage(run, flag, `run #${i}`);
        assert.match(run.stderr, /milliseconds/, `run #${i}`);
        assert.match(run.stderr, new RegExp(`at least ${floor}\\b`), `run #${i}`);
      });
      assert.equal(server.count(), 0, 'a request was sent');
    } finally {
      await server.close();
    }
  });

  test('batch: a journal cut short is called corrupt (exit 2), before anything is sent', async () => {
    const tasks = tasksFile('corrupt');
    const first = await runCli(['batch', tasks, '--sim', '--sim-speed', '200', '--quiet']);
    assert.equal(first.code, 0, first.stderr);
    const journal = `${tasks}.journal.sqlite`;
    truncateSync(journal, Math.floor(statSync(journal).size / 2) + 100);
    const again = await runCli(['batch', tasks, '--sim', '--sim-speed', '200']);
    assertUsage(again, '--journal', 'corrupt journal');
    assert.match(again.stderr, /is corrupt/);
    assert.doesNotMatch(again.stderr, /cannot go from/);
  });

  test('--rps under the rate floor names --rps and its range, not minRate', async () => {
    const run = await runCli(['batch', tasksFile('rps'), '--sim', '--rps', '0.0001']);
    assertUsage(run, '--rps', '--rps 0.0001');
    assert.match(run.stderr, /at least 0\.2|>= 0\.2/);
    assert.doesNotMatch(run.stderr, /min-?rate/i);
  });

  test('batch: a directory as TASKS or --out is a usage error naming it', async () => {
    const tasksDir = join(dir, 'tasks-dir');
    mkdirSync(tasksDir);
    const outDir = join(dir, 'out-dir');
    mkdirSync(outDir);
    const [asTasks, asOut, missingFolder] = await inParallel(3, [
      () => runCli(['batch', tasksDir, '--sim']),
      () => runCli(['batch', tasksFile('out'), '--sim', '--out', outDir]),
      () => runCli(['batch', tasksFile('nofolder'), '--sim', '--out', join(dir, 'no', 'out')]),
    ]);
    assertUsage(asTasks!, 'tasks', 'tasks dir');
    assert.match(asTasks!.stderr, /is a directory/);
    assert.doesNotMatch(asTasks!.stderr, /UNEXPECTED|EISDIR/);
    assert.ok(!existsSync(`${tasksDir}.journal.sqlite`), 'a journal was created');
    assertUsage(asOut!, '--out', 'out dir');
    assert.match(asOut!.stderr, /is a directory/);
    assert.doesNotMatch(asOut!.stderr, /UNEXPECTED|EISDIR/);
    assertUsage(missingFolder!, '--out', 'out in a missing folder');
    assert.match(missingFolder!.stderr, /folder does not exist/);
  });

  test('batch: an --out that cannot be written is a usage error naming --out', async (t) => {
    const out = join(dir, 'read-only.jsonl');
    writeFileSync(out, '');
    chmodSync(out, 0o444);
    try {
      writeFileSync(out, '', { flag: 'a' });
      t.skip('a 0444 file is writable here (running as root)');
      return;
    } catch {
      // Not writable: the case can be tested.
    }
    const run = await runCli(['batch', tasksFile('readonly'), '--sim', '--out', out]);
    assertUsage(run, '--out', 'read-only out');
    assert.match(run.stderr, /cannot be written/);
    assert.doesNotMatch(run.stderr, /UNEXPECTED/);
  });

  test('sim --host on a non-loopback address warns that it is reachable from other machines', async () => {
    const sim = spawnCli(['sim', '--host', '0.0.0.0', '--port', '0']);
    const output = new ChildOutput(sim);
    try {
      await output.waitFor(/listening on /);
      await output.waitFor(/reachable from other machines/, 15_000, 'stderr');
      assert.match(output.stderr, /warning: --host 0\.0\.0\.0/);
    } finally {
      sim.kill('SIGINT');
    }
    assert.equal(await output.exit(), 0, output.stderr);
  });

  test('isLoopback: loopback addresses only', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com', '10.0.0.1', '128.0.0.1'])
      assert.equal(isLoopback(host), false, host);
  });
});
