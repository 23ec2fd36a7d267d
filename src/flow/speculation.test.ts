import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReleaseModeDetector } from './release-mode.js';
import { Speculation, TARGET_REFUSAL_SHARE } from './speculation.js';

describe('Speculation', () => {
  test('fills up to the expected count of finished tasks, not past it', () => {
    const s = new Speculation();
    const done = { mean: 6.4, variance: 2 };
    let over = 0;
    while (s.allowed(done, over)) over++;
    assert.equal(over, 6);
  });

  test('nothing probably finished means no speculation, whatever the margin learnt', () => {
    const s = new Speculation();
    for (let i = 0; i < 200; i++) s.accepted();
    assert.ok(s.heldBack < 0);
    assert.equal(s.allowed({ mean: 0.6, variance: 0.2 }, 0), false);
  });

  test('a refusal holds one more task back; acceptances win it back slowly', () => {
    const s = new Speculation();
    const done = { mean: 5.2, variance: 2 };
    s.rejected();
    assert.equal(s.allowed(done, 4), false, 'the fifth waits after a refusal');
    assert.equal(s.allowed(done, 3), true);
    let accepted = 0;
    while (!s.allowed(done, 4)) {
      s.accepted();
      accepted++;
    }
    assert.ok(accepted > 10 && accepted < 60, `won back after ${accepted} acceptances`);
  });

  test('the margin settles where the target share of submits is refused', () => {
    // A service that refuses exactly the submits past the 5th finished task, with a noisy count.
    const s = new Speculation();
    let refused = 0;
    let sent = 0;
    let seed = 7;
    const noise = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31) * 4 - 2;
    };
    for (let round = 0; round < 20_000; round++) {
      const actual = 10 + noise();
      for (let over = 0; s.allowed({ mean: 10, variance: 3 }, over); over++) {
        sent++;
        if (over + 1 > actual) {
          refused++;
          s.rejected();
          break;
        }
        s.accepted();
      }
    }
    const share = refused / sent;
    assert.ok(
      Math.abs(share - TARGET_REFUSAL_SHARE) < 0.01,
      `refused ${share.toFixed(3)} of speculative submits`,
    );
  });

  test('acceptances past the floor report a climb', () => {
    const s = new Speculation();
    let climbs = 0;
    for (let i = 0; i < 500; i++) if (s.accepted()) climbs++;
    assert.ok(climbs > 300, `${climbs} climbs`);
    s.rejected();
    assert.equal(s.accepted(), false, 'a refusal ends the climb');
  });

  test('a margin settled high climbs within about a hundred acceptances once bets stop failing', () => {
    // A noisy estimate: the margin settles at several tasks, with the target share refused.
    const s = new Speculation();
    for (let i = 0; i < 3000; i++) {
      if (s.heldBack < 4) s.rejected();
      else s.accepted();
    }
    const settled = s.heldBack;
    assert.ok(settled > 3, `margin settled at ${settled.toFixed(2)}`);
    // The account grows: every bet is accepted from now on.
    let first = -1;
    for (let i = 1; i <= 400 && first < 0; i++) if (s.accepted()) first = i;
    assert.ok(first > 40, `no climb on a run as short as ordinary ones (first at ${first})`);
    assert.ok(
      first > 0 && first <= 150,
      `climbs after ${first} acceptances (from zero: ${Math.ceil((settled + 3) / (TARGET_REFUSAL_SHARE / (1 - TARGET_REFUSAL_SHARE)))})`,
    );
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

  test('the counts at which the account fills tell the semantics apart without speculation', () => {
    // Release at collection: refused again and again at the same count, however many are done.
    const b = new ReleaseModeDetector(undefined);
    b.observeRefusal(50, 0);
    for (let i = 0; i < 12; i++) {
      b.observeAcceptance(50);
      b.observeRefusal(50 + (i % 2), 9);
    }
    assert.equal(b.mode, 'collect');
    // Release at the solve: accepted past that count while tasks finish.
    const a = new ReleaseModeDetector(undefined);
    a.observeRefusal(50, 0);
    for (let i = 0; i < 40; i++) {
      a.observeAcceptance(58);
      if (i % 3 === 0) a.observeRefusal(60, 9);
    }
    assert.equal(a.mode, 'solve');
  });
});
