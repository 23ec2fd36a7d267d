import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerValue, parseRetryAfter } from './retry-after.js';

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
