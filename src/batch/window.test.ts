import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../time/manual-clock.js';
import { isWindowOpen, msUntilClose, msUntilOpen, parseWindow } from './window.js';

const DAY = 86_400_000;
const at = (hh: number, mm: number, day = 20_000): number => day * DAY + (hh * 60 + mm) * 60_000;

describe('parseWindow', () => {
  test('reads HH:MM-HH:MM, with or without spaces and leading zeros', () => {
    assert.deepEqual(parseWindow('09:30-17:00'), {
      startMs: 570 * 60_000,
      endMs: 1020 * 60_000,
      text: '09:30-17:00',
    });
    assert.equal(parseWindow('9:05 - 17:00').startMs, 545 * 60_000);
    assert.equal(parseWindow('22:00-24:00').endMs, 0, '24:00 is midnight');
  });

  test('names what is wrong', () => {
    assert.throws(() => parseWindow('9-17'), /expected HH:MM-HH:MM/);
    assert.throws(() => parseWindow('24:30-01:00'), /not a time of day/);
    assert.throws(() => parseWindow('10:60-11:00'), /not a time of day/);
    assert.throws(() => parseWindow('08:00-08:00'), /same time/);
  });
});

describe('window logic', () => {
  test('a daytime window: open from start (inclusive) to end (exclusive)', () => {
    const w = parseWindow('09:00-17:00');
    assert.equal(isWindowOpen(w, at(8, 59)), false);
    assert.equal(isWindowOpen(w, at(9, 0)), true);
    assert.equal(isWindowOpen(w, at(16, 59)), true);
    assert.equal(isWindowOpen(w, at(17, 0)), false);
    assert.equal(msUntilOpen(w, at(8, 0)), 60 * 60_000);
    assert.equal(msUntilOpen(w, at(17, 0)), 16 * 60 * 60_000, 'after the end: tomorrow morning');
    assert.equal(msUntilClose(w, at(16, 0)), 60 * 60_000);
    assert.equal(msUntilClose(w, at(18, 0)), 0);
  });

  test('a window that wraps midnight', () => {
    const w = parseWindow('22:00-06:00');
    assert.equal(isWindowOpen(w, at(23, 30)), true);
    assert.equal(isWindowOpen(w, at(0, 0)), true);
    assert.equal(isWindowOpen(w, at(5, 59)), true);
    assert.equal(isWindowOpen(w, at(6, 0)), false);
    assert.equal(isWindowOpen(w, at(21, 59)), false);
    assert.equal(msUntilOpen(w, at(12, 0)), 10 * 60 * 60_000);
    assert.equal(msUntilClose(w, at(23, 0)), 7 * 60 * 60_000);
  });

  test('times are UTC, whatever the day', () => {
    const w = parseWindow('00:00-01:00');
    assert.equal(isWindowOpen(w, Date.UTC(2024, 2, 31, 0, 30)), true);
    assert.equal(isWindowOpen(w, Date.UTC(2024, 2, 31, 1, 30)), false);
  });

  test('on a manual clock: waiting msUntilOpen lands exactly on the opening', async () => {
    const clock = new ManualClock(at(21, 15));
    const w = parseWindow('22:00-06:00');
    let opened: number | undefined;
    void clock.sleep(msUntilOpen(w, clock.now())).then(() => (opened = clock.now()));
    await clock.advance(44 * 60_000);
    assert.equal(opened, undefined);
    assert.equal(isWindowOpen(w, clock.now()), false);
    await clock.advance(60_000);
    assert.equal(opened, at(22, 0));
    assert.equal(isWindowOpen(w, clock.now()), true);
  });
});
