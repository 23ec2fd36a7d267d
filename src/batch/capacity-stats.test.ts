import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SolverEvents } from '../solver/events.js';
import { TypedEmitter } from '../solver/typed-emitter.js';
import { ManualClock } from '../time/manual-clock.js';
import { CapacityStats } from './capacity-stats.js';
import { capacityLines } from './capacity-summary.js';

/** 11:59 UTC: a minute before the hour turns, so one run spans two hours. */
const START = Date.UTC(2025, 0, 6, 11, 59, 0);

function setup(): { clock: ManualClock; events: TypedEmitter<SolverEvents>; stats: CapacityStats } {
  const clock = new ManualClock(START);
  const events = new TypedEmitter<SolverEvents>();
  const stats = new CapacityStats(clock);
  stats.watch(events);
  return { clock, events, stats };
}

function rejected(type: string, cause: 'account' | 'platform'): SolverEvents['rejected'] {
  const method = type.split('/')[0] ?? type;
  return {
    method,
    type,
    cause,
    code: 'ERROR_NO_SLOT_AVAILABLE',
    attempt: 1,
    inFlight: 3,
    delayMs: 0,
  };
}

function busy(type: string, busyForMs: number, refusals: number): SolverEvents['type-busy'] {
  return {
    type,
    reason: 'busy',
    cap: undefined,
    retryInMs: 3_000,
    busyForMs,
    refusals,
    cause: 'platform',
  };
}

test('refusals are counted per CAPTCHA type and cause, and by the UTC hour they were heard in', async () => {
  const { clock, events, stats } = setup();
  events.emit('rejected', rejected('userrecaptcha', 'platform'));
  events.emit('rejected', rejected('userrecaptcha', 'account'));
  events.emit('rejected', rejected('turnstile', 'account'));
  await clock.advance(120_000); // 12:01 UTC
  events.emit('rejected', rejected('userrecaptcha', 'platform'));
  events.emit('rejected', rejected('userrecaptcha/v3', 'platform'));
  assert.deepEqual(
    Object.fromEntries([...stats.byType].map(([type, c]) => [type, [c.platform, c.account]])),
    { userrecaptcha: [2, 1], turnstile: [0, 1], 'userrecaptcha/v3': [1, 0] },
  );
  assert.deepEqual(stats.byUtcHour[11], { account: 2, platform: 1 });
  assert.deepEqual(stats.byUtcHour[12], { account: 0, platform: 2 });
  assert.equal(
    stats.byUtcHour.reduce((n, h) => n + h.account + h.platform, 0),
    5,
    'no other hour counted',
  );
  assert.equal(stats.refusals, 5);
});

test('a busy spell is timed from its first refusal, counted while it lasts, and closed by type-open', async () => {
  const { clock, events, stats } = setup();
  events.emit('type-busy', busy('userrecaptcha', 0, 1));
  await clock.advance(3_000);
  // The next failed try says "busy" again: the spell still began at the first.
  events.emit('type-busy', busy('userrecaptcha', 3_000, 2));
  await clock.advance(60_000);
  assert.equal(stats.busyMs('userrecaptcha'), 63_000, 'a spell still going counts up to now');
  assert.equal(stats.busySpells('userrecaptcha'), 1);
  await clock.advance(7_000);
  events.emit('type-open', {
    type: 'userrecaptcha',
    busyForMs: 70_000,
    refusals: 3,
    cause: 'platform',
  });
  await clock.advance(100_000);
  assert.equal(stats.busyMs('userrecaptcha'), 70_000, 'an ended spell stops counting');
  // A second spell adds to the first.
  events.emit('type-busy', busy('userrecaptcha', 0, 1));
  await clock.advance(5_000);
  assert.equal(stats.busyMs('userrecaptcha'), 75_000);
  assert.equal(stats.busySpells('userrecaptcha'), 2);
  assert.equal(stats.busyMs('turnstile'), 0);
});

test('a cap keeps the fewest the platform took at once; unwatching stops the counting', () => {
  const clock = new ManualClock(START);
  const events = new TypedEmitter<SolverEvents>();
  const stats = new CapacityStats(clock);
  const unwatch = stats.watch(events);
  const capped = (cap: number): SolverEvents['type-busy'] => ({
    ...busy('base64', 0, 1),
    reason: 'capped',
    cap,
    retryInMs: 0,
  });
  events.emit('type-busy', capped(4));
  events.emit('type-busy', capped(2));
  events.emit('type-busy', capped(3));
  assert.equal(stats.byType.get('base64')?.lowestCap, 2);
  assert.equal(stats.busySpells('base64'), 0, 'a cap is no busy spell');
  unwatch();
  events.emit('rejected', rejected('base64', 'platform'));
  assert.equal(stats.refusals, 0);
  assert.equal(events.listens('rejected'), false);
});

test('summary lines: per type by cause with busy time in real time, then the hours; none without refusals', async () => {
  const { clock, events, stats } = setup();
  assert.deepEqual(capacityLines(stats), []);
  events.emit('rejected', rejected('turnstile', 'account'));
  events.emit('rejected', rejected('userrecaptcha', 'platform'));
  events.emit('type-busy', busy('userrecaptcha', 0, 1));
  await clock.advance(130_000); // 12:01:10 UTC
  events.emit('rejected', rejected('userrecaptcha', 'platform'));
  events.emit('type-busy', { ...busy('base64', 0, 1), reason: 'capped', cap: 2, retryInMs: 0 });
  events.emit('rejected', rejected('base64', 'platform'));
  assert.deepEqual(capacityLines(stats), [
    'capacity refusals: turnstile: 1 account; userrecaptcha: 2 platform (busy 2m 10s in 1 spell); base64: 1 platform (at most 2 at once)',
    'refusals by UTC hour: 11h 1 platform + 1 account, 12h 2 platform',
  ]);
  // Under --sim the run's clock runs faster: the busy time is shown in real time.
  assert.match(
    capacityLines(stats, 10)[0] ?? '',
    /userrecaptcha: 2 platform \(busy 13\.0s in 1 spell\)/,
  );
});
