import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveFlowOptions } from './flow-options.js';

test('--capacity-wait sets capacityWaitMs; a bad value names the flag', () => {
  assert.equal(resolveFlowOptions({ capacityWait: '600000' }).capacityWaitMs, 600_000);
  assert.equal(resolveFlowOptions({}).capacityWaitMs, undefined);
  for (const bad of ['0', '-5', 'soon', '']) {
    assert.throws(() => resolveFlowOptions({ capacityWait: bad }), /--capacity-wait/, bad);
  }
});
