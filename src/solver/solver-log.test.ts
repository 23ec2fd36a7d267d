import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { destination as pinoDestination, pino } from 'pino';
import { ConfigError } from '../errors/config-error.js';
import { ManualClock } from '../time/manual-clock.js';
import { seededRandom } from '../time/random.js';
import { SolverLog, type SolverLogger } from './logger.js';
import { json, KEY, ScriptedTransport, V2 } from './scripted-transport.test-helper.js';
import { Solver } from './solver.js';

interface Line {
  level: string;
  msg: string | undefined;
  fields: Record<string, unknown>;
}

/** A logger that keeps each line, as pino would get it. */
function memoryLogger(enabled: (level: string) => boolean = () => true): {
  logger: SolverLogger;
  lines: Line[];
} {
  const lines: Line[] = [];
  const at =
    (level: string) =>
    (fields: object, msg?: string): void => {
      lines.push({ level, msg, fields: fields as Record<string, unknown> });
    };
  return {
    lines,
    logger: {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      isLevelEnabled: enabled,
    },
  };
}

/**
 * threadsinfo seeds the limit (a limit change); a submit that is reset before it reaches the
 * service (retried), then accepted; one poll not ready, one answered.
 */
function retriedThenSolved(): ScriptedTransport {
  return new ScriptedTransport(new ManualClock(1_000_000))
    .script(
      'res.php:threadsinfo',
      json({ status: 1, request: { threads: 5, working_threads: 0, free_threads: 5 } }),
    )
    .script('in.php', { reset: false }, json({ status: 1, request: 3397637370 }))
    .script(
      'res.php:get',
      json({ status: 0, request: 'CAPCHA_NOT_READY' }),
      json({ status: 1, request: 'TOKEN' }),
    );
}

function solverWith(transport: ScriptedTransport, logger: SolverLogger): Solver {
  return new Solver({
    key: KEY,
    transport,
    clock: transport.clock,
    random: seededRandom(1),
    logger,
  });
}

describe('Solver logger', () => {
  test('logs each request, the retry, the limit change and the outcome, never the key', async () => {
    const t = retriedThenSolved();
    const { logger, lines } = memoryLogger();
    const solver = solverWith(t, logger);
    await t.clock.runUntil(solver.solve(V2));

    const requests = lines.filter((l) => l.msg === 'request');
    assert.equal(requests.length, t.seen.length, 'one line per request');
    assert.deepEqual(
      requests.map((l) => [l.level, l.fields.endpoint, l.fields.outcome]),
      [
        ['debug', 'res.php', 'OK'],
        ['debug', 'in.php', 'ECONNRESET'],
        ['debug', 'in.php', 'OK'],
        ['debug', 'res.php', 'CAPCHA_NOT_READY'],
        ['debug', 'res.php', 'OK'],
      ],
    );
    const poll = requests[3]?.fields;
    assert.equal(poll?.action, 'get');
    assert.equal(poll?.taskId, '3397637370');
    assert.equal(poll?.status, 200);
    assert.equal(typeof poll?.ms, 'number');
    assert.equal(requests[0]?.fields.action, 'threadsinfo');
    assert.equal(requests[2]?.fields.method, 'userrecaptcha');

    const retry = lines.find((l) => l.fields.event === 'retrying');
    assert.equal(retry?.level, 'warn');
    assert.equal(retry?.fields.code, 'ECONNRESET');
    assert.equal(retry?.fields.attempt, 1);
    assert.equal(typeof retry?.fields.delayMs, 'number');

    const limit = lines.find((l) => l.fields.event === 'limit-changed');
    assert.equal(limit?.level, 'info');
    assert.equal(limit?.fields.limit, 5);
    assert.equal(limit?.fields.reason, 'threadsinfo');

    const solved = lines.find((l) => l.fields.event === 'solved');
    assert.equal(solved?.level, 'info');
    assert.equal(solved?.fields.taskId, '3397637370');
    assert.equal(solved?.fields.method, 'userrecaptcha');
    assert.equal(typeof solved?.fields.elapsedMs, 'number');

    assert.ok(!JSON.stringify(lines).includes(KEY), 'no line holds the key');
    await solver.close();
  });

  test("a failed task's line names its code, at warn; a bad key's at error", async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', json({ status: 1, request: 42 }))
      .script('res.php:get', json({ status: 0, request: 'ERROR_CAPTCHA_UNSOLVABLE' }));
    const { logger, lines } = memoryLogger();
    const solver = solverWith(t, logger);
    await assert.rejects(t.clock.runUntil(solver.solve(V2)));
    const failed = lines.find((l) => l.fields.event === 'failed');
    assert.equal(failed?.level, 'warn');
    assert.equal(failed?.fields.code, 'ERROR_CAPTCHA_UNSOLVABLE');
    assert.equal(failed?.fields.taskId, '42');
    await solver.close();

    const bad = new ScriptedTransport(new ManualClock(1_000_000)).script(
      'in.php',
      json({ status: 0, request: 'ERROR_WRONG_USER_KEY' }),
    );
    const second = memoryLogger();
    const badSolver = solverWith(bad, second.logger);
    await assert.rejects(bad.clock.runUntil(badSolver.solve(V2)));
    const fatal = second.lines.find((l) => l.fields.event === 'failed');
    assert.equal(fatal?.level, 'error');
    assert.equal(fatal?.fields.code, 'ERROR_WRONG_USER_KEY');
    await badSolver.close();
  });

  test('a level the logger has off is never built', async () => {
    const t = retriedThenSolved();
    const { logger, lines } = memoryLogger((level) => level !== 'debug');
    const solver = solverWith(t, logger);
    await t.clock.runUntil(solver.solve(V2));
    assert.ok(lines.length > 0);
    assert.deepEqual(
      lines.filter((l) => l.level === 'debug'),
      [],
    );
    await solver.close();
  });

  test('the key is masked even in a line that would carry it', () => {
    const { logger, lines } = memoryLogger();
    new SolverLog(logger, KEY).write('warn', 'request', () => ({
      detail: `https://x.test/in.php?key=${KEY}`,
      nested: { key: KEY },
    }));
    assert.deepEqual(lines[0]?.fields, {
      detail: 'https://x.test/in.php?key=[redacted]',
      nested: { key: '[redacted]' },
    });
  });

  test('a logger without the four methods is refused, naming the option', () => {
    assert.throws(
      () => new Solver({ key: KEY, logger: { info: () => undefined } as unknown as SolverLogger }),
      (error: unknown) => error instanceof ConfigError && /logger/.test(error.message),
    );
  });

  test('pino writes JSON lines to a file without the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'captchaai-log-'));
    try {
      const file = join(dir, 'solver.log');
      const destination = pinoDestination({ dest: file, sync: true });
      const t = retriedThenSolved();
      const solver = solverWith(t, pino({ level: 'debug' }, destination));
      await t.clock.runUntil(solver.solve(V2));
      await solver.close();
      destination.end();
      const text = readFileSync(file, 'utf8');
      assert.ok(!text.includes(KEY), 'the file does not hold the key');
      const lines = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(lines.filter((l) => l.msg === 'request').length, t.seen.length);
      for (const event of ['retrying', 'limit-changed', 'solved'])
        assert.ok(
          lines.some((l) => l.event === event),
          `a ${event} line`,
        );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
