import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../errors/api-error.js';
import { HttpError } from '../errors/http-error.js';
import { NetworkError } from '../errors/network-error.js';
import type { TypeStatus } from '../flow/platform/type-gate.js';
import type { SolverEvents } from '../solver/events.js';
import { TypedEmitter } from '../solver/typed-emitter.js';
import { ManualClock } from '../time/manual-clock.js';
import { BatchStats } from './batch-stats.js';
import { CapacityStats } from './capacity-stats.js';
import { describePendingCause } from './pending-causes.js';
import { statusText } from './progress.js';
import { summaryLines } from './summary.js';

function stats(ok: number, failed: Record<string, number>): BatchStats {
  const s = new BatchStats();
  for (let i = 0; i < ok; i++) s.result(true, 'ok');
  for (const [code, n] of Object.entries(failed)) for (let i = 0; i < n; i++) s.result(false, code);
  s.read = s.done;
  return s;
}

test('the summary counts results by status and code, and says what a rerun would do', () => {
  const s = stats(8, { INVALID_TASK: 1, ERROR_CAPTCHA_UNSOLVABLE: 2 });
  s.accepted = 10;
  s.submitWaitMs = 5_000;
  const lines = summaryLines({
    outcome: {
      reason: 'interrupted',
      error: undefined,
      leftOpen: { accepted: 3, notStarted: 4 },
      inputExhausted: false,
      stats: s,
    },
    elapsedMs: 2_000,
    journalPath: 'tasks.jsonl.journal.sqlite',
    limit: 10,
    service: { requests: 24, billedSolves: 8 },
  });
  assert.match(
    lines[0] ?? '',
    /11 lines read; 8 ok, 3 failed \(ERROR_CAPTCHA_UNSOLVABLE 2, INVALID_TASK 1\)/,
  );
  assert.match(
    lines[1] ?? '',
    /5\.50 results\/s over 2\.0s; requests per solved task 3\.00 \(simulator count/,
  );
  assert.match(lines[2] ?? '', /500ms per task from start to accepted submit \(thread limit 10\)/);
  assert.match(
    lines[3] ?? '',
    /^interrupted: 3 tasks still on the service .*, 4 tasks not submitted, the rest of the input not read; run the same command again/,
  );
});

test('a finished run, and a run with nothing left to do', () => {
  const done = summaryLines({
    outcome: {
      reason: 'complete',
      error: undefined,
      leftOpen: { accepted: 0, notStarted: 0 },
      inputExhausted: true,
      stats: stats(3, {}),
    },
    elapsedMs: 1_000,
    journalPath: 'j',
    limit: 5,
  });
  assert.match(done.at(-1) ?? '', /^done: every line has a result/);
  assert.match(done[1] ?? '', /≈[\d.]+ \(from solver events/);
  const again = new BatchStats();
  again.read = 30;
  again.skipped = 30;
  const nothing = summaryLines({
    outcome: {
      reason: 'complete',
      error: undefined,
      leftOpen: { accepted: 0, notStarted: 0 },
      inputExhausted: true,
      stats: again,
    },
    elapsedMs: 10,
    journalPath: 'j',
    limit: 5,
  });
  assert.deepEqual(nothing, [
    'batch: nothing to do: all 30 lines already have results in j (delete it to run the batch again)',
  ]);
});

test('the status line: ETA once the total is known, a countdown while the window is closed', () => {
  const clock = new ManualClock(1_000);
  const source = {
    stats: stats(40, { TIMEOUT: 10 }),
    control: {
      openCount: 5,
      heldCount: 0,
      windowOpensAt: undefined as number | undefined,
      reason: undefined,
    },
    flow: () => ({ limit: 10, inFlight: 8, waiting: 2 }),
    total: (): number | undefined => 100,
    runClock: clock,
  };
  const line = statusText(source, 5).text;
  assert.equal(line, '50/100 | ok 40 failed 10 | 5.00/s | in flight 8/10 (+2 waiting) | ETA 10.0s');
  source.total = () => undefined;
  assert.match(statusText(source, 5).text, /^50\/50 read \|/);
  source.control.windowOpensAt = 1_000 + 3 * 3_600_000 + 120_000;
  assert.match(statusText(source, 5).text, /window opens in 3h 02m$/);
});

test('the status line names a type the platform holds back: busy for how long, next try; a cap', () => {
  const clock = new ManualClock(1_000_000);
  const types: TypeStatus[] = [
    {
      type: 'turnstile',
      state: 'open',
      busySince: undefined,
      nextTryAt: undefined,
      cap: undefined,
      waiting: 0,
    },
    {
      type: 'userrecaptcha',
      state: 'busy',
      busySince: 1_000_000 - 130_000,
      nextTryAt: 1_015_000,
      cap: undefined,
      waiting: 40,
    },
    {
      type: 'base64',
      state: 'open',
      busySince: undefined,
      nextTryAt: undefined,
      cap: 3,
      waiting: 7,
    },
    // A cap with nothing waiting holds nothing back.
    {
      type: 'hcaptcha',
      state: 'open',
      busySince: undefined,
      nextTryAt: undefined,
      cap: 2,
      waiting: 0,
    },
  ];
  const source = {
    stats: stats(40, {}),
    control: { openCount: 5, heldCount: 0, windowOpensAt: undefined, reason: undefined },
    flow: () => ({ limit: 10, inFlight: 8, waiting: 0 }),
    total: (): number | undefined => undefined,
    runClock: clock,
    types: () => types,
  };
  assert.equal(
    statusText(source, 5).text,
    '40/40 read | ok 40 failed 0 | 5.00/s | in flight 8/10 | userrecaptcha: platform busy 2m 10s, next try in 15.0s | base64: platform takes 3 at once (+7 waiting)',
  );
  // Past its next try the try is on its way: no countdown below zero.
  types[1] = { ...types[1]!, nextTryAt: 999_000 };
  assert.match(statusText(source, 5).text, /userrecaptcha: platform busy 2m 10s, trying now/);
  // Without types (a source that does not know them) the line is as before.
  const { types: _, ...withoutTypes } = source;
  assert.doesNotMatch(statusText(withoutTypes, 5).text, /platform/);
});

test('the summary reports capacity refusals before its last line, and nothing when none were met', () => {
  const clock = new ManualClock(Date.UTC(2025, 0, 6, 13, 30));
  const capacity = new CapacityStats(clock);
  const events = new TypedEmitter<SolverEvents>();
  capacity.watch(events);
  const input = {
    outcome: {
      reason: 'complete' as const,
      error: undefined,
      leftOpen: { accepted: 0, notStarted: 0 },
      inputExhausted: true,
      stats: stats(3, {}),
    },
    elapsedMs: 1_000,
    journalPath: 'j',
    limit: 5,
    capacity,
  };
  assert.equal(summaryLines(input).length, 4, 'no capacity lines without refusals');
  events.emit('rejected', {
    method: 'userrecaptcha',
    type: 'userrecaptcha',
    cause: 'platform',
    code: 'ERROR_ZERO_BALANCE',
    attempt: 1,
    inFlight: 2,
    delayMs: 0,
  });
  const lines = summaryLines(input);
  assert.deepEqual(lines.slice(3, 5), [
    'capacity refusals: userrecaptcha: 1 platform',
    'refusals by UTC hour: 13h 1 platform',
  ]);
  assert.match(lines.at(-1) ?? '', /^done: every line has a result/);
});

/** What undici rejects with when nothing listens on the port. */
function refused(port: number): NetworkError {
  const socket = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
    address: '127.0.0.1',
    port,
  });
  return new NetworkError(
    'ECONNREFUSED',
    'Request failed before an answer arrived (ECONNREFUSED)',
    false,
    socket,
  );
}

test('a pending line is described by its last error: code and where it came from', () => {
  assert.equal(describePendingCause(refused(1)), 'ECONNREFUSED connecting to 127.0.0.1:1');
  const dns = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), {
    code: 'ENOTFOUND',
    hostname: 'nowhere.invalid',
  });
  assert.equal(
    describePendingCause(new NetworkError('ENOTFOUND', 'x', false, dns)),
    'ENOTFOUND looking up nowhere.invalid',
  );
  assert.equal(
    describePendingCause(new NetworkError('ECONNRESET', 'reset', true)),
    'ECONNRESET',
    'no socket details: the code alone',
  );
  assert.equal(
    describePendingCause(new HttpError(404, undefined, 'in.php did not answer 200')),
    'HTTP_404 from in.php',
  );
  assert.equal(
    describePendingCause(new HttpError(502, undefined, 'res.php did not answer 200')),
    'HTTP_502 from res.php',
  );
  assert.equal(
    describePendingCause(new ApiError('ERROR_NO_SLOT_AVAILABLE', 'in.php', 'no slot')),
    'ERROR_NO_SLOT_AVAILABLE from in.php: no slot',
  );
  assert.equal(describePendingCause(new Error('odd\n  thing')), 'UNEXPECTED: odd thing');
  assert.ok(describePendingCause(new Error('x'.repeat(1_000))).length <= 160);
});

test('the summary names each cause of pending lines, with counts and the first line numbers', () => {
  const s = stats(1, { INVALID_TASK: 1 });
  for (const line of [3, 4, 7, 9, 12, 15, 20]) s.leftPending(line, refused(1));
  s.leftPending(5, new HttpError(404, undefined, 'in.php did not answer 200'));
  s.read += 8;
  const lines = summaryLines({
    outcome: {
      reason: 'complete',
      error: undefined,
      leftOpen: { accepted: 0, notStarted: 0 },
      inputExhausted: true,
      stats: s,
    },
    elapsedMs: 1_000,
    journalPath: 'j',
    limit: 5,
  });
  assert.match(lines[0] ?? '', /10 lines read; 1 ok, 1 failed \(INVALID_TASK 1\), 8 pending$/);
  assert.deepEqual(lines.slice(-3), [
    'batch: 7 lines pending: ECONNREFUSED connecting to 127.0.0.1:1 (lines 3, 4, 7, 9, 12 and 2 more)',
    'batch: 1 line pending: HTTP_404 from in.php (line 5)',
    'finished with lines pending: 8 left pending after service errors; run the same command again to continue (journal j)',
  ]);
});

test('pending causes stay bounded: past ten distinct causes the rest are counted together', () => {
  const s = new BatchStats();
  for (let port = 1; port <= 12; port++) s.leftPending(port, refused(port));
  const causes = s.pendingCauses.list();
  assert.equal(causes.length, 11);
  assert.deepEqual(causes[0], { cause: 'other service errors', count: 2, lines: [11, 12] });
  assert.equal(s.unresolved, 12);
});

test('the summary counts ambiguous submits: resubmitted, and lines left in doubt with how to settle them', () => {
  const input = (s: BatchStats) => ({
    outcome: {
      reason: 'complete' as const,
      error: undefined,
      leftOpen: { accepted: 0, notStarted: 0 },
      inputExhausted: true,
      stats: s,
    },
    elapsedMs: 1_000,
    journalPath: 'j.sqlite',
    limit: 10,
  });
  const resubmitted = stats(20, {});
  resubmitted.ambiguousResubmits = 3;
  const lines = summaryLines(input(resubmitted));
  assert.ok(
    lines.includes(
      'batch: ambiguous submits (answer lost; the service may hold the task): 3 resubmitted, 0 lines left in doubt',
    ),
    lines.join('\n'),
  );
  assert.match(lines.at(-1) ?? '', /^done: every line has a result/);

  const doubtful = stats(14, {});
  for (const line of [2, 5, 7, 8, 11, 13]) doubtful.leftInDoubt(line, false);
  doubtful.read = 20;
  const left = summaryLines(input(doubtful));
  assert.match(left[0] ?? '', /20 lines read; 14 ok, 0 failed, 6 in doubt/);
  assert.ok(left.some((l) => /: 0 resubmitted, 6 lines left in doubt$/.test(l)));
  assert.ok(
    left.includes(
      'batch: 6 lines in doubt, pending without a result: not resubmitted, to avoid a duplicate task (lines 2, 5, 7, 8, 11 and 1 more); to settle them run the same command with --resubmit-ambiguous (which may duplicate a task)',
    ),
    left.join('\n'),
  );
  assert.match(
    left.at(-1) ?? '',
    /^finished with lines in doubt: 6 in doubt \(see above\); run the same command with --resubmit-ambiguous to settle them/,
  );
  assert.equal(doubtful.pending, 6);
});
