import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../time/manual-clock.js';
import { BatchStats } from './batch-stats.js';
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
