// The runner on virtual time: the real Solver against the in-process simulator, both on one
// ManualClock, with the in-memory journal. Exact, instant, and free of timing tolerances.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Simulator, type SimulatorOptions } from '../simulator/index.js';
import type { SolverOptions } from '../solver/types.js';
import type { Transport } from '../transport/types.js';
import { ManualClock } from '../time/manual-clock.js';
import { BatchRunner, type BatchOutcome, type BatchRunnerOptions } from './batch-runner.js';
import { capacityLines } from './capacity-summary.js';
import { createBatchSolver } from './batch-solver.js';
import type { JournalStore } from './journal-store.js';
import { readInputLines, type InputLine } from './line-reader.js';
import { MemoryJournalStore } from './memory-journal-store.js';
import { StreamSink } from './output-sink.js';
import { Readable } from 'node:stream';
import { hashLine } from './task-line.js';
import { parseWindow } from './window.js';

const DAY = 86_400_000;
const PAGE = 'https://example.com/p';

function turnstile(i: number): string {
  return JSON.stringify({
    method: 'turnstile',
    sitekey: '0x4AAAAAAAC3DHQFLr1GavRN',
    pageurl: `${PAGE}/${i}`,
  });
}

function* linesOf(texts: readonly string[]): Generator<InputLine> {
  for (const [i, text] of texts.entries()) yield { lineNo: i + 1, text };
}

interface Run {
  outcome: BatchOutcome;
  records: Array<Record<string, unknown>>;
  sim: Simulator;
  journal: JournalStore;
  /** Clock times of every in.php request. */
  submitTimes: number[];
  runner: BatchRunner;
}

async function runBatch(
  texts: readonly string[],
  setup: {
    sim?: Partial<SimulatorOptions>;
    threads?: number;
    start?: number;
    journal?: JournalStore;
    solver?: Partial<SolverOptions>;
    runner?: Partial<BatchRunnerOptions>;
    before?: (sim: Simulator) => Promise<void> | void;
    onWrite?: (records: number) => void;
    /** The input, instead of `texts` numbered 1, 2, 3... */
    lines?: AsyncIterable<InputLine>;
  } = {},
): Promise<Run> {
  const clock = new ManualClock(setup.start ?? 0);
  const sim = new Simulator(
    {
      unsolvableRate: 0,
      solveTime: { kind: 'fixed', ms: 10_000 },
      ...setup.sim,
      defaultAccount: { threads: setup.threads ?? 10 },
    },
    { clock },
  );
  await setup.before?.(sim);
  const journal = setup.journal ?? new MemoryJournalStore();
  const inner = sim.transport();
  const submitTimes: number[] = [];
  const transport: Transport = {
    send(request, options) {
      if (request.endpoint === 'in.php') submitTimes.push(clock.now());
      return inner.send(request, options);
    },
  };
  const batch = createBatchSolver({ key: sim.defaultKey, transport, clock, ...setup.solver });
  let text = '';
  const sink = new StreamSink({
    write(chunk: string) {
      text += chunk;
      setup.onWrite?.(text.split('\n').length - 1);
    },
  });
  const runner = new BatchRunner({
    solver: batch.solver,
    gate: batch.gate,
    journal,
    sink,
    clock,
    profile: 'captchaai',
    ...setup.runner,
  });
  const outcome = await clock.runUntil(runner.run(setup.lines ?? linesOf(texts)), 3 * DAY);
  await batch.close();
  const records = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { outcome, records, sim, journal, submitTimes, runner };
}

describe('BatchRunner (virtual time)', () => {
  test('every line gets one result; bad lines name the line and the parameter', async () => {
    const texts = [
      turnstile(1),
      '{"method":"userrecaptcha","pageurl":"x"}',
      'not json',
      '[1]',
      turnstile(5),
      '{"method":"nope"}',
    ];
    const { outcome, records, sim } = await runBatch(texts);
    assert.equal(outcome.reason, 'complete');
    assert.equal(records.length, 6);
    const byId = new Map(records.map((r) => [r['id'], r]));
    assert.equal(byId.get(1)?.['status'], 'ok');
    assert.equal(
      byId.get(1)?.['solution'],
      sim.expectedAnswer(JSON.parse(turnstile(1)) as Record<string, string>),
    );
    assert.deepEqual(byId.get(2), {
      id: 2,
      status: 'error',
      error: 'INVALID_TASK',
      message: 'line 2: userrecaptcha task is missing required parameter "googlekey"',
    });
    assert.match(String(byId.get(3)?.['message']), /^line 3: not valid JSON/);
    assert.match(String(byId.get(4)?.['message']), /^line 4: not a JSON object/);
    assert.match(String(byId.get(6)?.['message']), /^line 6: unknown task method "nope"/);
    assert.equal(sim.stats().acceptedSubmits, 2, 'bad lines cost no request');
  });

  test('lines are pulled only as the solver has room', async () => {
    const texts = Array.from({ length: 200 }, (_, i) => turnstile(i));
    let written = 0;
    let worst = 0;
    function* counted(): Generator<InputLine> {
      for (const [i, text] of texts.entries()) {
        // Measured at each pull: lines taken from the input and not yet finished.
        worst = Math.max(worst, i + 1 - written);
        yield { lineNo: i + 1, text };
      }
    }
    const clock = new ManualClock(0);
    const sim = new Simulator(
      {
        unsolvableRate: 0,
        solveTime: { kind: 'fixed', ms: 10_000 },
        defaultAccount: { threads: 4 },
      },
      { clock },
    );
    const batch = createBatchSolver({
      key: sim.defaultKey,
      transport: sim.transport(),
      clock,
      maxConcurrency: 4,
    });
    const sink = new StreamSink({
      write: (chunk: string) => void (written += chunk.split('\n').length - 1),
    });
    const runner = new BatchRunner({
      solver: batch.solver,
      gate: batch.gate,
      journal: new MemoryJournalStore(),
      sink,
      clock,
      profile: 'captchaai',
    });
    const outcome = await clock.runUntil(runner.run(counted()), DAY);
    await batch.close();
    assert.equal(outcome.reason, 'complete');
    assert.equal(written, 200);
    assert.ok(worst > 4, 'more lines open than threads: the solver keeps a queue');
    // The line being pulled counts too: it is pulled only while fewer than the limit are open.
    assert.ok(worst <= 2 * 4 + 16 + 1, `at most 2 x limit + 16 open lines, saw ${worst}`);
  });

  test('a resumed journal: written skipped, done written, accepted collected, submitting in doubt', async () => {
    const texts = [turnstile(1), turnstile(2), turnstile(3), turnstile(4), turnstile(5)];
    const journal = new MemoryJournalStore();
    const key = (n: number) => ({ line: n, hash: hashLine(texts[n - 1] ?? '') });
    journal.done(key(1), '{"id":1,"status":"ok","solution":"old"}', 0);
    journal.written([1], undefined, 0);
    journal.done(key(2), '{"id":2,"status":"ok","solution":"decided"}', 0);
    journal.submitting(key(4), 'turnstile', 0);
    journal.submitting(key(5), 'turnstile', 0);
    journal.queued(key(5), 'turnstile', 0, 0);
    const { outcome, records, sim } = await runBatch(texts, {
      journal,
      runner: { resubmitAmbiguous: false },
      before: async (s) => {
        // Line 3 was accepted by the service before the crash.
        const response = await s.handle({
          endpoint: 'in.php',
          httpMethod: 'POST',
          params: { ...(JSON.parse(texts[2] ?? '') as Record<string, string>), key: s.defaultKey },
        });
        const taskId = response.body.replace('OK|', '');
        journal.submitting(key(3), 'turnstile', 0);
        journal.accepted(3, taskId, 0, 0);
      },
    });
    assert.equal(outcome.reason, 'complete');
    const byId = new Map(records.map((r) => [r['id'], r]));
    assert.equal(byId.has(1), false, 'a written line is not written again');
    assert.equal(byId.get(2)?.['solution'], 'decided');
    assert.equal(byId.get(3)?.['status'], 'ok');
    // Line 4's submit may be on the service: no result, left in doubt for --resubmit-ambiguous.
    assert.equal(byId.has(4), false);
    assert.equal(journal.get(4)?.state, 'ambiguous');
    assert.equal(outcome.stats.inDoubt, 1);
    assert.deepEqual(outcome.stats.inDoubtLines, [4]);
    assert.equal(byId.get(5)?.['status'], 'ok');
    assert.equal(records.length, 3);
    assert.equal(
      sim.stats().acceptedSubmits,
      2,
      'line 3 (accepted) was collected, not resubmitted; line 4 not sent',
    );
    assert.equal(sim.stats().duplicateSubmits, 0);
    assert.equal(outcome.stats.resumedCollects, 1);
  });

  test('--resubmit-ambiguous sends an ambiguous line again', async () => {
    const texts = [turnstile(1)];
    const journal = new MemoryJournalStore();
    journal.submitting({ line: 1, hash: hashLine(texts[0] ?? '') }, 'turnstile', 0);
    const { records } = await runBatch(texts, { journal, runner: { resubmitAmbiguous: true } });
    assert.equal(records[0]?.['status'], 'ok');
    assert.equal(journal.get(1)?.lostSubmits, 1);
  });

  test('lost submit answers: resubmitted by default on captchaai, left in doubt on 2captcha until resubmitted', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => turnstile(i));
    const sim = { faults: { reset: 0.2, afterProcessing: 1 }, seed: 5 };
    const captchaai = await runBatch(texts, { sim });
    assert.equal(captchaai.records.length, 30);
    assert.ok(captchaai.records.every((r) => r['status'] === 'ok'));
    assert.ok(captchaai.outcome.stats.ambiguousResubmits > 0, 'some answers were lost');
    assert.equal(captchaai.outcome.stats.inDoubt, 0);

    const journal = new MemoryJournalStore();
    const twoCaptcha = { profile: '2captcha' as const };
    const first = await runBatch(texts, {
      journal,
      sim: { ...sim, ...twoCaptcha },
      solver: twoCaptcha,
      runner: twoCaptcha,
    });
    const { inDoubt } = first.outcome.stats;
    assert.ok(inDoubt > 0, 'some answers were lost');
    assert.equal(first.outcome.stats.ambiguousResubmits, 0);
    assert.equal(first.records.length, 30 - inDoubt, 'no result for a line in doubt');
    assert.ok(first.records.every((r) => r['status'] === 'ok'));
    assert.equal(journal.counts().ambiguous, inDoubt);
    assert.equal(first.sim.stats().duplicateSubmits, 0);

    const again = await runBatch(texts, {
      journal,
      sim: twoCaptcha,
      solver: twoCaptcha,
      runner: { ...twoCaptcha, resubmitAmbiguous: true },
    });
    assert.equal(again.records.length, inDoubt);
    assert.ok(again.records.every((r) => r['status'] === 'ok'));
    assert.equal(again.outcome.stats.ambiguousResubmits, inDoubt);
    assert.equal(again.outcome.stats.skipped, 30 - inDoubt);
    assert.equal(journal.counts().written, 30);
  });

  test('resubmitAmbiguous: false on captchaai leaves lost lines in doubt, not failed', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => turnstile(i));
    const { outcome, records, journal } = await runBatch(texts, {
      sim: { faults: { reset: 0.2, afterProcessing: 1 }, seed: 5 },
      runner: { resubmitAmbiguous: false },
    });
    assert.ok(outcome.stats.inDoubt > 0);
    assert.equal(outcome.stats.failed, 0);
    assert.equal(records.length + outcome.stats.inDoubt, 20);
    assert.equal(journal.counts().ambiguous, outcome.stats.inDoubt);
  });

  test('--retry-unsolvable resubmits up to n times and journals the count', async () => {
    const { records, sim, journal, outcome } = await runBatch([turnstile(1)], {
      sim: { unsolvableRate: 1 },
      runner: { retryUnsolvable: 2 },
    });
    assert.equal(records.length, 1);
    assert.equal(records[0]?.['error'], 'ERROR_CAPTCHA_UNSOLVABLE');
    assert.equal(sim.stats().acceptedSubmits, 3);
    assert.equal(outcome.stats.unsolvableRetries, 2);
    assert.equal(journal.rowsInState('written', 10)[0]?.unsolvable, 2);
  });

  test('a fatal account error stops submitting; untried lines stay pending', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => turnstile(i));
    const { outcome, records, sim, journal } = await runBatch(texts, {
      before: (s) => s.setThreads(s.defaultKey, 0),
    });
    assert.equal(outcome.reason, 'fatal-account');
    assert.equal(records.length, 0, 'no line gets a final error for an account problem');
    assert.ok(
      sim.stats().requestsByEndpoint['in.php'] <= 30,
      `no busy loop: ${sim.stats().requestsByEndpoint['in.php']} submits`,
    );
    const counts = journal.counts();
    assert.equal(
      counts.done + counts.written + counts.accepted + counts.submitting + counts.ambiguous,
      0,
    );
  });

  test('--window: nothing is submitted outside it; the run waits, then finishes', async () => {
    const start = 20_000 * DAY + 9 * 3_600_000 + 58 * 60_000; // 09:58 UTC
    const texts = Array.from({ length: 12 }, (_, i) => turnstile(i));
    const { outcome, records, submitTimes } = await runBatch(texts, {
      start,
      threads: 4,
      // Three rounds of 4 at 40 s each do not fit in one minute: the last waits a day.
      sim: { solveTime: { kind: 'fixed', ms: 40_000 } },
      solver: { maxConcurrency: 4 },
      runner: { window: parseWindow('10:00-10:01') },
    });
    assert.equal(outcome.reason, 'complete');
    assert.equal(records.length, 12);
    assert.ok(submitTimes.length >= 12);
    for (const at of submitTimes) {
      const minute = Math.floor((at % DAY) / 60_000);
      assert.equal(minute, 600, `a submit at minute ${minute} of the day, outside 10:00-10:01`);
    }
    assert.ok(outcome.stats.windowWaitMs >= 2 * 60_000, 'waited for the first opening');
    const days = new Set(submitTimes.map((at) => Math.floor(at / DAY)));
    assert.equal(days.size, 2, 'the tasks that did not fit waited for the next day');
    assert.ok(outcome.stats.windowWaitMs >= DAY - 2 * 60_000, 'and waited for the next opening');
  });

  test("a platform outage of one type: counted as the platform's, timed, and the other type unharmed", async () => {
    const recaptcha = (i: number): string =>
      JSON.stringify({
        method: 'userrecaptcha',
        googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
        pageurl: `${PAGE}/r${i}`,
      });
    const texts = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? turnstile(i) : recaptcha(i)));
    const { outcome, records, runner } = await runBatch(texts, {
      sim: { platform: { outages: [{ type: 'recaptchaV2', fromMs: 0, toMs: 120_000 }] } },
    });
    assert.equal(outcome.reason, 'complete');
    assert.equal(records.filter((r) => r['status'] === 'ok').length, 40);
    const { capacity } = runner;
    const rc = capacity.byType.get('userrecaptcha');
    assert.ok(rc && rc.platform >= 2, `platform refusals of userrecaptcha: ${JSON.stringify(rc)}`);
    assert.equal(
      capacity.byType.get('turnstile')?.platform ?? 0,
      0,
      'turnstile was never refused by the platform',
    );
    assert.equal(capacity.busySpells('userrecaptcha'), 1);
    // The spell began at the first refusals (time 0) and ended at the first try after 120 s.
    const busy = capacity.busyMs('userrecaptcha');
    assert.ok(busy >= 110_000 && busy <= 150_000, `busy ${busy} ms`);
    assert.equal(
      capacity.byUtcHour[0]?.platform,
      rc.platform,
      "the run's clock starts at 00:00 UTC",
    );
    assert.match(
      capacityLines(capacity)[0] ?? '',
      /userrecaptcha: \d+ platform \(busy 2m \d\ds in 1 spell\)/,
    );
  });

  test('with capacityWaitMs, a line whose type stays busy longer gets a CAPACITY_WAIT result, unsent', async () => {
    const recaptcha = JSON.stringify({
      method: 'userrecaptcha',
      googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
      pageurl: `${PAGE}/wait`,
    });
    const { outcome, records, sim } = await runBatch([turnstile(1), recaptcha], {
      sim: { platform: { outages: [{ type: 'recaptchaV2', fromMs: 0, toMs: DAY }] } },
      solver: { capacityWaitMs: 60_000 },
    });
    assert.equal(outcome.reason, 'complete');
    assert.deepEqual(
      records.map((r) => [r['id'], r['status'], r['error']]),
      [
        [1, 'ok', undefined],
        [2, 'error', 'CAPACITY_WAIT'],
      ],
    );
    assert.equal(sim.stats().acceptedSubmits, 1, 'the reCAPTCHA task was never accepted');
  });
});

describe('BatchRunner input integrity', () => {
  const withId = (id: string | number, i: number): string =>
    JSON.stringify({ id, ...(JSON.parse(turnstile(i)) as object) });

  test('a duplicate id is one INVALID_TASK record naming the first line, and is not sent', async () => {
    const texts = [
      withId('a1', 1),
      turnstile(2), // id 2: its line number
      withId('a1', 3),
      withId(2, 4), // the line number of line 2
      withId(7, 5),
      withId('2', 6), // a string: not the number 2
      turnstile(7), // id 7: line 5 said 7 first
      withId('a1', 8),
    ];
    const { outcome, records, sim } = await runBatch(texts);
    assert.equal(outcome.reason, 'complete');
    assert.equal(records.length, 8, 'one record per line');
    const errors = records.filter((r) => r['status'] === 'error');
    assert.deepEqual(
      errors.map((r) => [r['id'], r['error'], r['message']]),
      [
        ['a1', 'INVALID_TASK', 'line 3: duplicate id "a1" (first on line 1)'],
        [2, 'INVALID_TASK', 'line 4: duplicate id 2 (first on line 2)'],
        [7, 'INVALID_TASK', 'line 7: duplicate id 7 (first on line 5)'],
        ['a1', 'INVALID_TASK', 'line 8: duplicate id "a1" (first on line 1)'],
      ],
    );
    const solved = records.filter((r) => r['status'] === 'ok').map((r) => JSON.stringify(r['id']));
    assert.deepEqual(solved.sort(), ['"2"', '"a1"', '2', '7']);
    assert.equal(sim.stats().acceptedSubmits, 4, 'only the first holder of each id is sent');
  });

  test('a line that is not valid UTF-8 is one INVALID_TASK record; the other lines go on', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${turnstile(1)}\n`),
      Buffer.from(`${turnstile(2).replace('/p/2', '/p/\u00e9')}\n`, 'utf8'),
      // Latin-1: a lone 0xE9 byte, which U+FFFD would have replaced in the URL sent.
      Buffer.from(`${turnstile(3).replace('/p/3', '/p/\u00e9')}\n`, 'latin1'),
      Buffer.from(`${turnstile(4)}\n`),
    ]);
    const { outcome, records, sim } = await runBatch([], {
      lines: readInputLines(Readable.from([bytes])),
    });
    assert.equal(outcome.reason, 'complete');
    assert.equal(records.length, 4);
    const bad = records.filter((r) => r['status'] === 'error');
    assert.deepEqual(bad, [
      {
        id: 3,
        status: 'error',
        error: 'INVALID_TASK',
        message: 'line 3: not valid UTF-8 (save the file as UTF-8); nothing was sent',
      },
    ]);
    assert.equal(sim.stats().acceptedSubmits, 3, 'the bad line is not sent');
  });

  test('a resumed run flags the same duplicates, and never a line against itself', async () => {
    const texts = ['a1', 'b', 'a1', 'b', 'a1', 'c'].map((id, i) => withId(id, i + 1));
    const journal = new MemoryJournalStore();
    // The first run read lines 1-3 only (then it was killed): 1 and 2 solved, 3 flagged.
    const first = await runBatch(texts.slice(0, 3), { journal });
    assert.equal(first.records.length, 3);
    // Lines 4 (a duplicate, queued by an older version) and 6 were queued, not yet sent.
    const key = (n: number) => ({ line: n, hash: hashLine(texts[n - 1] ?? '') });
    journal.queued(key(4), 'turnstile', 0, 0);
    journal.queued(key(6), 'turnstile', 0, 0);
    const { outcome, records, sim } = await runBatch(texts, { journal });
    assert.equal(outcome.reason, 'complete');
    assert.equal(outcome.stats.skipped, 3, 'lines 1-3 already written');
    const withIdOf = (id: string) => records.filter((r) => r['id'] === id);
    assert.deepEqual(
      withIdOf('b').map((r) => r['message']),
      ['line 4: duplicate id "b" (first on line 2)'],
    );
    assert.deepEqual(
      withIdOf('a1').map((r) => r['message']),
      ['line 5: duplicate id "a1" (first on line 1)'],
    );
    assert.equal(withIdOf('c')[0]?.['status'], 'ok', 'a queued line holds its own id');
    assert.equal(records.length, 3);
    assert.equal(sim.stats().acceptedSubmits, 1);
  });
});
