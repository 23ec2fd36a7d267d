import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors/config-error.js';
import {
  DEFAULT_RATE_CONTROLLER_OPTIONS,
  resolveRateControllerOptions,
  type RateControllerOptions,
} from './rate-controller-options.js';

test('resolveRateControllerOptions fills in the frozen defaults', () => {
  assert.ok(Object.isFrozen(DEFAULT_RATE_CONTROLLER_OPTIONS));
  assert.deepEqual(resolveRateControllerOptions({}), DEFAULT_RATE_CONTROLLER_OPTIONS);
  const resolved = resolveRateControllerOptions({ requestsPerSecond: 50, beta: 0.5, burst: 5 });
  assert.equal(resolved.requestsPerSecond, 50);
  assert.equal(resolved.beta, 0.5);
  assert.equal(resolved.burst, 5);
  assert.equal(resolved.recoveryWindowMs, 60_000);
});

test('resolveRateControllerOptions names the bad option and its value', () => {
  const bad: Array<[RateControllerOptions, string, RegExp]> = [
    [{ requestsPerSecond: 0 }, 'requestsPerSecond', /got 0/],
    [{ requestsPerSecond: Number.POSITIVE_INFINITY }, 'requestsPerSecond', /got Infinity/],
    [{ burst: 0.5 }, 'burst', /got 0.5/],
    [{ beta: 1 }, 'beta', /in \(0, 1\), got 1/],
    [{ decreaseCooldownMs: -1 }, 'decreaseCooldownMs', /got -1/],
    [{ recoveryWindowMs: 0 }, 'recoveryWindowMs', /got 0/],
    [{ minRate: Number.NaN }, 'minRate', /got NaN/],
    [{ requestsPerSecond: 0.1 }, 'minRate', /must not exceed "requestsPerSecond"/],
    [{ beta: 0.9, plateauMargin: 0.2 }, 'plateauMargin', /got 0.2/],
    [{ probeAfterRequests: -5 }, 'probeAfterRequests', /got -5/],
    [{ resumeSpreadMs: '1s' as unknown as number }, 'resumeSpreadMs', /got 1s/],
  ];
  for (const [input, option, message] of bad) {
    assert.throws(
      () => resolveRateControllerOptions(input),
      (e: unknown) => e instanceof ConfigError && e.option === option && message.test(e.message),
      JSON.stringify(input),
    );
  }
});
