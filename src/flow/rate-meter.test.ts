import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateMeter } from './rate-meter.js';

test('RateMeter reads evenly spaced sends exactly, whatever the phase', () => {
  const meter = new RateMeter(2_000);
  for (let t = 0; t <= 10_000; t += 200) meter.record(t);
  assert.ok(Math.abs(meter.rate(10_000) - 5) < 1e-9);
  assert.ok(Math.abs(meter.rate(10_080) - 5) < 1e-9, 'the wait for the answer does not dilute it');
  assert.equal(meter.countSince(10_000, 1_000), 5);
  assert.equal(meter.countSince(10_100, 1_000), 5);
  assert.equal(meter.countSince(10_000, 2_000), 10);
  assert.equal(meter.rate(20_000), 0, 'old sends leave the window');
});

test('RateMeter spreads a burst over half the window and grows past its first ring', () => {
  const meter = new RateMeter(2_000);
  for (let i = 0; i < 5_000; i++) meter.record(1_000);
  assert.equal(meter.countSince(1_000, 1_000), 5_000);
  assert.equal(meter.rate(1_000), 5_000);
  meter.record(1_500);
  assert.equal(meter.countSince(1_500, 100), 1);
  assert.equal(meter.countSince(3_000, 1_000), 0);
  assert.equal(meter.countSince(3_499, 2_000), 1);
});
