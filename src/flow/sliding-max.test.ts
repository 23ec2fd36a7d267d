import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlidingMax } from './sliding-max.js';

test('the largest value within the window; older ones drop out', () => {
  const peak = new SlidingMax(1_000);
  assert.equal(peak.max(0), 0);
  peak.record(5, 0);
  peak.record(9, 100);
  peak.record(3, 200);
  assert.equal(peak.max(500), 9);
  assert.equal(peak.max(1_100), 9);
  assert.equal(peak.max(1_101), 3, '9 recorded at 100 is out of the window');
  assert.equal(peak.max(1_201), 0);
});

test('clamped values stay in order: a later smaller value still takes over when they expire', () => {
  const peak = new SlidingMax(1_000);
  peak.record(50, 0);
  peak.record(20, 500);
  peak.clampTo(30);
  assert.equal(peak.max(600), 30);
  assert.equal(peak.max(1_200), 20);
});

test('many records keep a bounded deque', () => {
  const peak = new SlidingMax(10);
  for (let t = 0; t < 100_000; t++) peak.record(100_000 - t, t);
  assert.equal(peak.max(100_000), 10);
});
