import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerValue, parseRetryAfter, retryAfterOf } from './retry-after.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

void test('delta-seconds', () => {
  assert.equal(parseRetryAfter('0', NOW), 0);
  assert.equal(parseRetryAfter(' 120 ', NOW), 120_000);
});

void test('HTTP dates in all three forms, relative to now', () => {
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 12:00:10 GMT', NOW), 10_000);
  assert.equal(parseRetryAfter('Wednesday, 01-Jan-25 12:01:00 GMT', NOW), 60_000);
  // asctime has no zone and means GMT, whatever the local time zone is.
  assert.equal(parseRetryAfter('Wed Jan  1 12:00:05 2025', NOW), 5_000);
});

void test('a date in the past clamps to 0', () => {
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', NOW), 0);
});

void test('garbage is ignored', () => {
  for (const value of [
    undefined,
    '',
    'soon',
    '-5',
    '1.5',
    'Wed, 99 Foo 2025 12:00:00 GMT',
    '1e3',
  ]) {
    assert.equal(parseRetryAfter(value, NOW), undefined, String(value));
  }
});

void test('header lookup is case-insensitive', () => {
  assert.equal(headerValue({ 'Retry-After': '5' }, 'retry-after'), '5');
  assert.equal(headerValue({ 'retry-after': '6' }, 'retry-after'), '6');
  assert.equal(headerValue({}, 'retry-after'), undefined);
});

void test("a date-form Retry-After is read against the answer's Date, whatever the local clock says", () => {
  const headers = {
    date: 'Wed, 01 Jan 2025 12:00:00 GMT',
    'retry-after': 'Wed, 01 Jan 2025 12:00:02 GMT',
  };
  // The local clock 0.9 s ahead of the server's: against it the wait would be 1.1 s, and the
  // retry would meet the server's window still shut.
  assert.equal(retryAfterOf(headers, NOW + 900), 2_000);
  // 5 s behind: 7 s read locally, 2 s is the server's.
  assert.equal(retryAfterOf(headers, NOW - 5_000), 2_000);
  // Seconds are a span, whatever the clocks.
  assert.equal(retryAfterOf({ ...headers, 'retry-after': '3' }, NOW + 900), 3_000);
});

void test('without a usable Date the local clock stands in', () => {
  const retryAfter = 'Wed, 01 Jan 2025 12:00:02 GMT';
  assert.equal(retryAfterOf({ 'retry-after': retryAfter }, NOW), 2_000);
  assert.equal(retryAfterOf({ date: 'yesterday', 'Retry-After': retryAfter }, NOW + 500), 1_500);
  assert.equal(retryAfterOf({ date: 'Wed, 01 Jan 2025 12:00:00 GMT' }, NOW), undefined);
});
