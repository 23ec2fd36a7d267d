import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortError } from '../errors/abort-error.js';
import { AmbiguousSubmitError } from '../errors/ambiguous-submit-error.js';
import { ApiError } from '../errors/api-error.js';
import { InvalidTaskError } from '../errors/invalid-task-error.js';
import { uncheckedTask } from '../protocol/tasks/unchecked-task.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { ManualClock } from '../time/manual-clock.js';
import { seededRandom } from '../time/random.js';
import type { SolverEvents } from './events.js';
import { AnswerShapeError } from '../errors/answer-shape-error.js';
import { json, KEY, ScriptedTransport, text, V2 } from './scripted-transport.test-helper.js';
import { Solver } from './solver.js';
import type { SolverOptions } from './types.js';

function setup(transport: ScriptedTransport, extra: Partial<SolverOptions> = {}) {
  const clock = transport.clock;
  const solver = new Solver({
    key: KEY,
    transport,
    clock,
    random: seededRandom(1),
    discoverThreads: false,
    ...extra,
  });
  const events: Array<[keyof SolverEvents, unknown]> = [];
  for (const name of [
    'submitted',
    'rejected',
    'throttled',
    'retrying',
    'ambiguous',
    'polled',
    'solved',
    'failed',
  ] as const) {
    solver.on(name, (payload) => events.push([name, payload]));
  }
  return { clock, solver, events };
}

describe('Solver.solve', () => {
  test('submits, polls from an early quantile of the solve time, then at most every 5 s', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', json({ status: 1, request: 3397637370 }))
      .script(
        'res.php:get',
        json({ status: 0, request: 'CAPCHA_NOT_READY' }),
        json({ status: 1, request: 'TOKEN', useragent: 'UA' }),
      );
    const { clock, solver, events } = setup(t);
    const result = await clock.runUntil(solver.solve(V2));
    assert.deepEqual(
      { ...result, elapsedMs: 0 },
      { taskId: '3397637370', solution: 'TOKEN', extra: { useragent: 'UA' }, elapsedMs: 0 },
    );
    const polls = t.seen
      .map((r, i) => ({ r, at: t.seenAt[i] ?? 0 }))
      .filter(({ r }) => r.endpoint === 'res.php');
    assert.equal(polls.length, 2);
    assert.equal(polls[0]?.r.params.id, '3397637370');
    assert.equal(t.seen[0]?.params.json, '1');
    // The prior for tokens is the documented 15 s first-poll delay; no poll before its 5 % quantile.
    const firstAge = (polls[0]?.at ?? 0) - 1_000_000;
    assert.ok(firstAge >= 5_000 && firstAge <= 15_000, `first poll at ${firstAge} ms`);
    assert.ok((polls[1]?.at ?? 0) - (polls[0]?.at ?? 0) <= 5_000);
    assert.equal(result.elapsedMs, (polls[1]?.at ?? 0) - 1_000_000);
    assert.deepEqual(
      events.map(([n]) => n),
      ['submitted', 'polled', 'polled', 'solved'],
    );
  });

  test("an answer that cannot be the task's (image digits for reCAPTCHA) fails it, never solves it", async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', json({ status: 1, request: 3397637370 }))
      .script('res.php:get', json({ status: 1, request: 428901 }));
    const { clock, solver } = setup(t);
    const failed = clock.runUntil(solver.solve(V2));
    await assert.rejects(failed, (error: unknown) => {
      assert.ok(error instanceof AnswerShapeError);
      assert.equal(error.code, 'WRONG_ANSWER_SHAPE');
      assert.equal(error.taskId, '3397637370');
      return true;
    });
  });

  test('a capacity rejection (ERROR_ZERO_BALANCE on CaptchaAI) is retried after a jittered backoff', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script(
        'in.php',
        text('ERROR_ZERO_BALANCE'),
        json({ status: 0, request: 'ERROR_NO_SLOT_AVAILABLE' }),
        text('OK|77'),
      )
      .script('res.php:get', text('OK|abc'));
    const { clock, solver, events } = setup(t, { firstPollDelayMs: { token: 1000 } });
    const result = await clock.runUntil(solver.solve(V2));
    assert.equal(result.solution, 'abc');
    const rejected = events
      .filter(([n]) => n === 'rejected')
      .map(([, p]) => p as SolverEvents['rejected']);
    assert.equal(rejected.length, 2);
    assert.ok(rejected.every((r) => r.delayMs >= 0 && r.delayMs < 30_000));
    assert.equal(t.seen.filter((r) => r.endpoint === 'in.php').length, 3);
  });

  test('in the 2captcha profile ERROR_ZERO_BALANCE is an account error, thrown at once', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000)).script(
      'in.php',
      text('ERROR_ZERO_BALANCE'),
    );
    const { clock, solver } = setup(t, { profile: '2captcha' });
    await assert.rejects(
      clock.runUntil(solver.solve(V2)),
      (e: unknown) => e instanceof ApiError && e.code === 'ERROR_ZERO_BALANCE',
    );
    assert.equal(t.seen.length, 1);
  });

  test('HTTP 429 with Retry-After pauses the request for at least that long', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', text('', 429, { 'retry-after': '7' }), text('OK|5'))
      .script('res.php:get', text('OK|x'));
    const { clock, solver, events } = setup(t, { firstPollDelayMs: { token: 0 } });
    const result = await clock.runUntil(solver.solve(V2));
    assert.equal(result.solution, 'x');
    const throttled = events.find(([n]) => n === 'throttled')?.[1] as SolverEvents['throttled'];
    assert.equal(throttled.retryAfterMs, 7000);
    assert.ok(throttled.delayMs >= 7000);
    assert.ok(result.elapsedMs >= 7000);
  });

  test('HTML 502 pages and truncated JSON are retried; a persistent outage gives up after the budget', async () => {
    const html = text('<html><body>502 Bad Gateway</body></html>', 502);
    const ok = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', html, text('{"status":1,"requ'), text('OK|9'))
      .script('res.php:get', text('OK|y'));
    const a = setup(ok);
    assert.equal((await a.clock.runUntil(a.solver.solve(V2))).solution, 'y');
    const down = new ScriptedTransport(new ManualClock(1_000_000)).script('in.php', html);
    const b = setup(down, { maxTransientAttempts: 3 });
    await assert.rejects(
      b.clock.runUntil(b.solver.solve(V2)),
      (e: unknown) =>
        e instanceof AmbiguousSubmitError && (e.cause as { code?: string }).code === 'HTTP_502',
    );
    assert.equal(down.seen.length, 3);
    // Polls are safe to repeat: a 502 there is retried as often as the budget allows.
    const polls = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', text('OK|3'))
      .script('res.php:get', html, html, text('OK|q'));
    const c = setup(polls, { maxTransientAttempts: 3 });
    assert.equal((await c.clock.runUntil(c.solver.solve(V2))).solution, 'q');
  });

  test('a garbled submit answer may hide a created task: 2captcha does not resubmit it', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000)).script(
      'in.php',
      text('{"status":1,"requ'),
      text('OK|8'),
    );
    const { clock, solver, events } = setup(t, { profile: '2captcha' });
    await assert.rejects(clock.runUntil(solver.solve(V2)), AmbiguousSubmitError);
    assert.equal(t.seen.length, 1);
    assert.deepEqual(events.find(([n]) => n === 'ambiguous')?.[1], {
      method: 'userrecaptcha',
      code: 'UNPARSEABLE_RESPONSE',
      resubmitted: false,
    });
  });

  test('a submit whose answer was lost is resubmitted on CaptchaAI, refused on 2captcha', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', { reset: true }, text('OK|11'))
      .script('res.php:get', text('OK|z'));
    const a = setup(t);
    assert.equal((await a.clock.runUntil(a.solver.solve(V2))).taskId, '11');
    assert.deepEqual(a.events.find(([n]) => n === 'ambiguous')?.[1], {
      method: 'userrecaptcha',
      code: 'ECONNRESET',
      resubmitted: true,
    });
    const t2 = new ScriptedTransport(new ManualClock(1_000_000)).script(
      'in.php',
      { reset: true },
      text('OK|11'),
    );
    const b = setup(t2, { profile: '2captcha' });
    await assert.rejects(b.clock.runUntil(b.solver.solve(V2)), AmbiguousSubmitError);
    assert.equal(t2.seen.length, 1);
    // A refused connection surely never reached the service, so it is simply retried.
    const t3 = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', { reset: false }, text('OK|12'))
      .script('res.php:get', text('OK|w'));
    const c = setup(t3, { profile: '2captcha' });
    assert.equal((await c.clock.runUntil(c.solver.solve(V2))).taskId, '12');
  });

  test('unsolvable and fatal account errors are thrown without retry', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', text('OK|1'))
      .script('res.php:get', text('ERROR_CAPTCHA_UNSOLVABLE'));
    const { clock, solver, events } = setup(t);
    await assert.rejects(
      clock.runUntil(solver.solve(V2)),
      (e: unknown) => e instanceof ApiError && e.code === 'ERROR_CAPTCHA_UNSOLVABLE',
    );
    assert.deepEqual(events.at(-1), [
      'failed',
      {
        taskId: '1',
        method: 'userrecaptcha',
        code: 'ERROR_CAPTCHA_UNSOLVABLE',
        kind: 'fatal-task',
      },
    ]);
    const t2 = new ScriptedTransport(new ManualClock(1_000_000)).script(
      'in.php',
      text('ERROR_KEY_DOES_NOT_EXIST'),
    );
    const b = setup(t2);
    await assert.rejects(
      b.clock.runUntil(b.solver.solve(V2)),
      (e: unknown) => e instanceof ApiError && !e.message.includes(KEY),
    );
    assert.equal(t2.seen.length, 1);
  });

  test('a missing parameter fails before any request, naming it', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000));
    const { solver } = setup(t);
    await assert.rejects(
      solver.solve(uncheckedTask({ method: 'userrecaptcha', pageurl: 'https://x' })),
      (e: unknown) => e instanceof InvalidTaskError && e.parameter === 'googlekey',
    );
    assert.equal(t.seen.length, 0);
  });

  test('the overall timeout ends polling with a TimeoutError carrying the task id', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', text('OK|42'))
      .script('res.php:get', text('CAPCHA_NOT_READY'));
    const { clock, solver } = setup(t);
    const run = solver.solve(V2, { timeoutMs: 60_000 });
    await assert.rejects(
      clock.runUntil(run),
      (e: unknown) => e instanceof TimeoutError && e.taskId === '42',
    );
    assert.equal(clock.now(), 1_060_000);
    // Polls keep coming, at most 5 s apart, until the deadline.
    const pollTimes = t.seenAt.filter((_, i) => t.seen[i]?.endpoint === 'res.php');
    assert.ok(pollTimes.length >= 10, `${pollTimes.length} polls`);
    assert.ok(pollTimes.every((at, i) => i === 0 || at - (pollTimes[i - 1] ?? 0) <= 5_000));
    assert.ok((pollTimes.at(-1) ?? 0) > 1_055_000 - 5_000);
    assert.equal(clock.pendingTimers, 0);
  });

  test('abort cancels every wait at once, with the signal reason as cause', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', text('OK|42'))
      .script('res.php:get', text('CAPCHA_NOT_READY'));
    const { clock, solver } = setup(t);
    const controller = new AbortController();
    const run = solver.solve(V2, { signal: controller.signal });
    const rejected = assert.rejects(
      run,
      (e: unknown) => e instanceof AbortError && e.cause === 'stop',
    );
    await clock.advance(16_000);
    controller.abort('stop');
    await rejected;
    assert.equal(clock.pendingTimers, 0);
  });

  test('maxConcurrency queues tasks locally instead of sending them', async () => {
    let accepted = 0;
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', () => text(`OK|${++accepted}`))
      .script('res.php:get', text('OK|r'));
    const { clock, solver, events } = setup(t, {
      maxConcurrency: 2,
      firstPollDelayMs: { token: 1000 },
    });
    const all = Promise.all([solver.solve(V2), solver.solve(V2), solver.solve(V2)]);
    await clock.advance(500); // the slow start spaces the first requests 100 ms apart
    assert.equal(t.seen.filter((r) => r.endpoint === 'in.php').length, 2);
    await clock.runUntil(all);
    assert.equal(events.filter(([n]) => n === 'submitted').length, 3);
  });

  test('a method the client does not know is refused unsent, naming the option that sends it', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000));
    const { clock, solver } = setup(t);
    const task = uncheckedTask({
      method: 'newcaptcha',
      sitekey: 'S1',
      pageurl: 'https://example.com',
    });
    await assert.rejects(clock.runUntil(solver.solve(task)), (e: unknown) => {
      assert.ok(e instanceof InvalidTaskError && e.parameter === 'method');
      assert.match(e.message, /unknown task method "newcaptcha"/);
      assert.match(e.message, /allowUnknownMethods: true/);
      assert.match(e.message, /--allow-unknown-method/);
      return true;
    });
    assert.equal(t.seen.length, 0);
  });

  test('allowUnknownMethods sends such a task as it is, checked only for what every task needs', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('in.php', text('OK|77'))
      .script('res.php:get', text('OK|answer-of-a-new-kind'));
    const { clock, solver } = setup(t, {
      allowUnknownMethods: true,
      firstPollDelayMs: { token: 0 },
    });
    const task = uncheckedTask({
      method: 'newcaptcha',
      sitekey: 'S1',
      pageurl: 'https://example.com',
      n: 3,
    });
    const result = await clock.runUntil(solver.solve(task));
    assert.equal(result.solution, 'answer-of-a-new-kind');
    const submit = t.seen.find((r) => r.endpoint === 'in.php');
    assert.equal(submit?.params.method, 'newcaptcha');
    assert.equal(submit?.params.sitekey, 'S1');
    assert.equal(submit?.params.n, '3');
    // What cannot be sent is still refused, naming the parameter.
    await assert.rejects(
      clock.runUntil(solver.solve(uncheckedTask({ method: 'newcaptcha', score: Number.NaN }))),
      (e: unknown) => e instanceof InvalidTaskError && e.parameter === 'score',
    );
    await assert.rejects(
      clock.runUntil(solver.solve(uncheckedTask({ method: '', sitekey: 'S1' }))),
      (e: unknown) => e instanceof InvalidTaskError && e.parameter === 'method',
    );
  });
});

describe('Solver account calls', () => {
  test('balance, report (empty body or OK_REPORT_RECORDED), threads', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000))
      .script('res.php:getbalance', json({ status: 1, request: '12.3456' }))
      .script('res.php:reportgood', text(''))
      .script('res.php:reportbad', text('OK_REPORT_RECORDED'))
      .script(
        'res.php:threadsinfo',
        json({ status: 1, request: { threads: 50, working_threads: 20, free_threads: 30 } }),
      );
    // Requests before the first 429 are paced (a slow start): the clock must run between them.
    const { clock, solver } = setup(t);
    assert.equal(await clock.runUntil(solver.balance()), 12.3456);
    await clock.runUntil(solver.report('123', 'good'));
    await clock.runUntil(solver.report('123', 'bad'));
    const threads = await clock.runUntil(solver.threads());
    assert.equal(threads?.threads, 50);
    assert.equal(threads?.free, 30);
    await assert.rejects(solver.report('12a', 'good'), TypeError);
  });

  test('threads() reads the bare text forms of threadsinfo too (no OK| in front)', async () => {
    for (const body of ['threads=50,working_threads=20,free_threads=30', '50|20|30']) {
      const t = new ScriptedTransport(new ManualClock(1_000_000)).script(
        'res.php:threadsinfo',
        text(body),
      );
      const { clock, solver } = setup(t);
      const threads = await clock.runUntil(solver.threads());
      assert.deepEqual([threads?.threads, threads?.working, threads?.free], [50, 20, 30], body);
    }
  });

  test('threads() is undefined where the service does not answer threadsinfo', async () => {
    const t = new ScriptedTransport(new ManualClock(1_000_000)).script(
      'res.php:threadsinfo',
      text('ERROR_BAD_PARAMETERS'),
    );
    const { clock, solver } = setup(t);
    assert.equal(await clock.runUntil(solver.threads()), undefined);
  });
});
