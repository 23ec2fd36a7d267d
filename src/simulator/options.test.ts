import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../errors/config-error.js';
import type { SimulatorOptions } from './options.js';
import { DEFAULT_SIMULATOR_OPTIONS, resolveSimulatorOptions } from './resolve-options.js';

describe('resolveSimulatorOptions', () => {
  it('fills the captchaai defaults', () => {
    const o = resolveSimulatorOptions();
    assert.deepEqual(o, { ...DEFAULT_SIMULATOR_OPTIONS, throttleWindows: [] });
    assert.equal(o.capacityCode, 'ERROR_ZERO_BALANCE');
    assert.equal(o.enforceBans, false);
    assert.equal(o.badKeyBanThreshold, 10);
    assert.ok(Object.isFrozen(DEFAULT_SIMULATOR_OPTIONS));
  });

  it('switches the profile-dependent defaults for 2captcha, and explicit options win', () => {
    const o = resolveSimulatorOptions({ profile: '2captcha' });
    assert.equal(o.capacityCode, 'ERROR_NO_SLOT_AVAILABLE');
    assert.equal(o.enforceBans, true);
    assert.equal(o.badKeyBanThreshold, 5);
    assert.equal(o.badKeyBanMs, 600_000);
    assert.equal(o.pingbackMethod, 'POST');
    const mixed = resolveSimulatorOptions({
      profile: '2captcha',
      enforceBans: false,
      capacityCode: 'ERROR_ZERO_BALANCE',
    });
    assert.equal(mixed.enforceBans, false);
    assert.equal(mixed.capacityCode, 'ERROR_ZERO_BALANCE');
  });

  it('merges nested options field by field', () => {
    const o = resolveSimulatorOptions({
      solveTimes: { image: { medianMs: 100, sigma: 0 } },
      faults: { reset: 0.1 },
      banRules: { pollsPerTask: { max: 5, banMs: 1 } },
    });
    assert.equal(o.solveTimes.image.medianMs, 100);
    assert.equal(o.solveTimes.recaptchaV2.medianMs, 20_000);
    assert.equal(o.faults.reset, 0.1);
    assert.equal(o.faults.afterProcessing, 0.5);
    assert.equal(o.banRules.pollsPerTask.max, 5);
    assert.equal(o.banRules.maxUserTurn.count, 60);
  });

  const bad: Array<[Partial<SimulatorOptions>, string]> = [
    [{ profile: 'anticaptcha' as 'captchaai' }, 'profile'],
    [{ timeScale: 0 }, 'timeScale'],
    [{ unsolvableRate: 1.5 }, 'unsolvableRate'],
    [{ slotRelease: 'poll' as 'solve' }, 'slotRelease'],
    [{ imageMinBytes: 10, imageMaxBytes: 5 }, 'imageMaxBytes'],
    [{ requestsPerSecond: -1 }, 'requestsPerSecond'],
    [{ retryAfter: 'always' as 'none' }, 'retryAfter'],
    [{ throttleWindows: [{ fromMs: 5, toMs: 1 }] }, 'throttleWindows[0]'],
    [{ faults: { reset: 2 } }, 'faults.reset'],
    [{ faults: { html502: 0.6, reset: 0.6 } }, 'faults.reset'],
    [{ solveTime: { kind: 'pareto', scaleMs: 0, alpha: 1 } }, 'solveTime.scaleMs'],
    [{ solveTimes: { image: { medianMs: -1, sigma: 0 } } }, 'solveTimes.image.medianMs'],
    [{ defaultAccount: { threads: 1.5 } }, 'defaultAccount.threads'],
  ];
  for (const [input, option] of bad) {
    it(`names the bad option ${option}`, () => {
      assert.throws(
        () => resolveSimulatorOptions(input),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError);
          assert.equal(e.option, option);
          return true;
        },
      );
    });
  }
});
