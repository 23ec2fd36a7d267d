import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parkedAllowance } from '../flow/platform/parked-allowance.js';
import { solverHasRoom } from './runner-options.js';

test('lines parked behind a busy CAPTCHA type do not count against the intake, up to a bound', () => {
  const flow = { limit: 50, waiting: 0 };
  // 2 × 50 + 16 lines open fill the intake...
  assert.equal(solverHasRoom(flow, 115), true);
  assert.equal(solverHasRoom(flow, 116), false);
  // ...unless some of them wait for their type on the platform: those hold no thread.
  assert.equal(solverHasRoom({ ...flow, parked: 40 }, 116 + 39), true);
  assert.equal(solverHasRoom({ ...flow, parked: 40 }, 116 + 40), false);
  // Parked lines are held in memory: past the allowance they count again.
  const cap = parkedAllowance(50);
  assert.equal(solverHasRoom({ ...flow, parked: cap + 5_000 }, 116 + cap - 1), true);
  assert.equal(solverHasRoom({ ...flow, parked: cap + 5_000 }, 116 + cap), false);
  // Tasks queued for an account thread still stop the intake.
  assert.equal(solverHasRoom({ limit: 50, waiting: 16, parked: 40 }, 10), false);
});
