import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ACCOUNT_PEAK_WINDOW_MS,
  EVIDENCE_MS,
  RefusalAttribution,
  type RefusalReading,
} from './refusal-cause.js';

const reading = (over: Partial<RefusalReading>): RefusalReading => ({
  type: 'userrecaptcha',
  ahead: 49,
  withinLimit: true,
  typeBusy: false,
  now: 100_000,
  ...over,
});

test('with no other evidence a refusal is the account being full', () => {
  assert.equal(new RefusalAttribution().cause(reading({})), 'account');
});

test('refused again with none of ours out: the account cannot be that full, so the platform refused', () => {
  const a = new RefusalAttribution();
  // The first may be an account whose limit is still unknown and small.
  assert.equal(a.cause(reading({ ahead: 0 })), 'account');
  assert.equal(a.cause(reading({ ahead: 0 })), 'platform');
  // An acceptance of the type ends its streak.
  a.acceptedAt('userrecaptcha', 1, true, 100_000);
  assert.equal(a.cause(reading({ ahead: 0 })), 'account');
});

test('a type the platform already refuses stays the platform', () => {
  assert.equal(new RefusalAttribution().cause(reading({ typeBusy: true })), 'platform');
});

test('another type accepted lately with more of ours out proves the account had room', () => {
  const a = new RefusalAttribution();
  a.acceptedAt('base64', 50, true, 95_000);
  assert.equal(a.cause(reading({ ahead: 49 })), 'platform');
  // As many out as the refused one would have made is not proof (ahead 50 wants a 51st).
  assert.equal(a.cause(reading({ ahead: 50 })), 'account');
  // The same type's own acceptance proves nothing: its plan may have changed since.
  a.acceptedAt('userrecaptcha', 50, true, 99_000);
  assert.equal(a.cause(reading({ type: 'base64', ahead: 50 })), 'account');
});

test('the evidence goes stale with time, and above a count the account was found full at', () => {
  const a = new RefusalAttribution();
  a.acceptedAt('base64', 50, true, 100_000 - EVIDENCE_MS - 1);
  assert.equal(a.cause(reading({ ahead: 30 })), 'account');
  a.acceptedAt('base64', 50, true, 99_000);
  a.accountFull(30);
  assert.equal(a.cause(reading({ ahead: 30 })), 'account');
  assert.equal(a.cause(reading({ ahead: 29 })), 'platform');
});

test('a submit above the limit (a bet or probe) refused is the account', () => {
  const a = new RefusalAttribution();
  a.acceptedAt('base64', 60, true, 99_000);
  assert.equal(a.cause(reading({ ahead: 55, withinLimit: false })), 'account');
});

test('an acceptance above the limit proves nothing about the limit', () => {
  const a = new RefusalAttribution();
  a.acceptedAt('base64', 60, false, 99_000);
  assert.equal(a.cause(reading({ ahead: 49 })), 'account');
});

test('refused with under 40 % of what the account took lately out: not the account, even with no other type', () => {
  const a = new RefusalAttribution();
  a.acceptedAt('userrecaptcha', 50, true, 0);
  assert.equal(a.cause(reading({ ahead: 20, now: 60_000 })), 'account');
  assert.equal(a.cause(reading({ ahead: 19, now: 60_000 })), 'platform');
  // Long enough ago, a plan may have shrunk that far.
  assert.equal(a.cause(reading({ ahead: 19, now: ACCOUNT_PEAK_WINDOW_MS + 1 })), 'account');
});

test('two types refused in turn prove the account full, whatever it took lately', () => {
  const a = new RefusalAttribution();
  a.acceptedAt('userrecaptcha', 50, true, 0);
  a.accountConfirmedFull(15);
  assert.equal(a.cause(reading({ ahead: 10, now: 60_000 })), 'account');
});
