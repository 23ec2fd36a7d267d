import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReleaseModeDetector } from './release-mode.js';
import { Speculation } from './speculation.js';

describe('Speculation', () => {
  test('goes one at a time and stops before the expected count of finished tasks', () => {
    const s = new Speculation();
    const done = { mean: 6, variance: 4 };
    let sent = 0;
    while (s.allowed(done, 0)) {
      s.sent();
      assert.equal(s.allowed(done, 0), false, 'a second one while the first is pending');
      s.accepted();
      sent++;
    }
    assert.ok(sent >= 2 && sent < 6, `filled ${sent} of about 6`);
  });

  test('nothing probably finished means no speculation', () => {
    assert.equal(new Speculation().allowed({ mean: 0.6, variance: 0.2 }, 0), false);
  });

  test('a refusal pauses speculation until about one more task has finished', () => {
    const s = new Speculation();
    s.sent();
    s.rejected({ mean: 4, variance: 2 });
    assert.equal(s.allowed({ mean: 4.5, variance: 2 }, 0), false);
    assert.equal(s.allowed({ mean: 5.2, variance: 2 }, 0), true);
  });

  test('collecting tasks settles earlier fills', () => {
    const s = new Speculation();
    const done = { mean: 3, variance: 1 };
    while (s.allowed(done, 0)) {
      s.sent();
      s.accepted();
    }
    assert.equal(s.allowed(done, 0), false);
    s.collected();
    s.collected();
    assert.equal(s.allowed({ mean: 3, variance: 1 }, 0), true);
  });
});

describe('ReleaseModeDetector', () => {
  test('release at collection is recognised from a run of refused speculative submits', () => {
    const d = new ReleaseModeDetector(undefined);
    assert.equal(d.mode, 'solve');
    let changed = false;
    for (let i = 0; i < 12; i++) changed = d.record(i === 3) || changed;
    assert.equal(changed, true);
    assert.equal(d.mode, 'collect');
  });

  test('ordinary misses at release-at-solve do not flip it, and a given mode never changes', () => {
    const d = new ReleaseModeDetector(undefined);
    for (let i = 0; i < 50; i++) d.record(i % 4 !== 0);
    assert.equal(d.mode, 'solve');
    const fixed = new ReleaseModeDetector('solve');
    for (let i = 0; i < 50; i++) fixed.record(false);
    assert.equal(fixed.mode, 'solve');
  });
});
