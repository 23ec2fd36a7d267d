import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasOwnHeapSettings, tuneHeapForLongRuns } from './heap-tuning.js';

describe('heap tuning for long CLI runs', () => {
  test('sees heap settings given on the command line or in NODE_OPTIONS, in either spelling', () => {
    assert.equal(hasOwnHeapSettings(['--max-old-space-size=512'], ''), true);
    assert.equal(hasOwnHeapSettings([], '--enable-source-maps --max_old_space_size=4096'), true);
    assert.equal(hasOwnHeapSettings(['--heap-growing-percent=10'], ''), true);
    assert.equal(hasOwnHeapSettings(['--max-semi-space-size=8'], ''), true);
    assert.equal(
      hasOwnHeapSettings(['--import', 'tsx', '--enable-source-maps'], '--trace-warnings'),
      false,
    );
    assert.equal(hasOwnHeapSettings([], ''), false);
  });

  test("leaves the user's own heap settings alone and applies its own otherwise", () => {
    assert.equal(tuneHeapForLongRuns(['--max-old-space-size=512'], ''), false);
    assert.equal(tuneHeapForLongRuns([], ''), true);
  });
});
