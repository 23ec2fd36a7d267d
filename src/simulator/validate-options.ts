import { ConfigError } from '../errors/config-error.js';
import type { BanRule, ResolvedSimulatorOptions } from './options.js';
import { validatePlatformOptions } from './validate-platform.js';

function check(ok: boolean, option: string, value: unknown, want: string): void {
  if (!ok) throw new ConfigError(option, `${option} must be ${want}, got ${JSON.stringify(value)}`);
}

const isNonNeg = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
const isShare = (n: unknown): boolean => isNonNeg(n) && n <= 1;
const isCount = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 0;

/** Throws a ConfigError naming the first bad option and its value. */
export function validateSimulatorOptions(o: ResolvedSimulatorOptions): void {
  check(Number.isFinite(o.seed), 'seed', o.seed, 'a finite number');
  if (o.defaultAccount !== null) {
    check(
      isCount(o.defaultAccount.threads),
      'defaultAccount.threads',
      o.defaultAccount.threads,
      'an integer >= 0',
    );
  }
  check(
    o.capacityCode === 'ERROR_ZERO_BALANCE' || o.capacityCode === 'ERROR_NO_SLOT_AVAILABLE',
    'capacityCode',
    o.capacityCode,
    "'ERROR_ZERO_BALANCE' or 'ERROR_NO_SLOT_AVAILABLE'",
  );
  check(
    o.slotRelease === 'solve' || o.slotRelease === 'collect',
    'slotRelease',
    o.slotRelease,
    "'solve' or 'collect'",
  );
  check(
    isCount(o.batchPollMax) && o.batchPollMax >= 1,
    'batchPollMax',
    o.batchPollMax,
    'an integer >= 1',
  );
  for (const [k, v] of Object.entries(o.solveTimes)) {
    check(isNonNeg(v.medianMs), `solveTimes.${k}.medianMs`, v.medianMs, 'a number >= 0');
    check(isNonNeg(v.sigma), `solveTimes.${k}.sigma`, v.sigma, 'a number >= 0');
  }
  validateDistribution(o.solveTime);
  check(isNonNeg(o.timeScale) && o.timeScale > 0, 'timeScale', o.timeScale, 'a number > 0');
  check(isShare(o.unsolvableRate), 'unsolvableRate', o.unsolvableRate, 'a number in [0, 1]');
  check(isNonNeg(o.retentionMs), 'retentionMs', o.retentionMs, 'a number >= 0');
  check(isCount(o.imageMinBytes), 'imageMinBytes', o.imageMinBytes, 'an integer >= 0');
  check(
    isCount(o.imageMaxBytes) && o.imageMaxBytes >= o.imageMinBytes,
    'imageMaxBytes',
    o.imageMaxBytes,
    'an integer >= imageMinBytes',
  );
  check(
    isCount(o.badKeyBanThreshold) && o.badKeyBanThreshold >= 1,
    'badKeyBanThreshold',
    o.badKeyBanThreshold,
    'an integer >= 1',
  );
  check(isNonNeg(o.badKeyWindowMs), 'badKeyWindowMs', o.badKeyWindowMs, 'a number >= 0');
  check(isNonNeg(o.badKeyBanMs), 'badKeyBanMs', o.badKeyBanMs, 'a number >= 0');
  check(
    o.requestsPerSecond === null || (isNonNeg(o.requestsPerSecond) && o.requestsPerSecond > 0),
    'requestsPerSecond',
    o.requestsPerSecond,
    'null or a number > 0',
  );
  check(
    o.rateBurst === null || (isNonNeg(o.rateBurst) && o.rateBurst >= 1),
    'rateBurst',
    o.rateBurst,
    'null or a number >= 1',
  );
  check(
    ['none', 'seconds', 'http-date'].includes(o.retryAfter),
    'retryAfter',
    o.retryAfter,
    "'none', 'seconds' or 'http-date'",
  );
  check(
    typeof o.clockSkewMs === 'number' && Number.isFinite(o.clockSkewMs),
    'clockSkewMs',
    o.clockSkewMs,
    'a finite number of ms',
  );
  o.throttleWindows.forEach((w, i) => {
    check(
      isNonNeg(w.fromMs) && isNonNeg(w.toMs) && w.toMs >= w.fromMs,
      `throttleWindows[${i}]`,
      w,
      '{ fromMs <= toMs }, both >= 0',
    );
  });
  for (const [k, rule] of Object.entries(o.banRules)) {
    const r = rule as Partial<BanRule> & { max?: number };
    check(
      isCount(r.count ?? r.max) && isNonNeg(r.banMs) && isNonNeg(r.windowMs ?? 0),
      `banRules.${k}`,
      rule,
      'counts and durations >= 0',
    );
  }
  check(
    o.pingbackSender === null || typeof o.pingbackSender === 'function',
    'pingbackSender',
    typeof o.pingbackSender,
    'null or a function',
  );
  check(
    o.pingbackMethod === 'GET' || o.pingbackMethod === 'POST',
    'pingbackMethod',
    o.pingbackMethod,
    "'GET' or 'POST'",
  );
  check(isNonNeg(o.pricePerSolve), 'pricePerSolve', o.pricePerSolve, 'a number >= 0');
  for (const k of ['html502', 'reset', 'afterProcessing', 'truncatedJson', 'slowRate'] as const) {
    check(isShare(o.faults[k]), `faults.${k}`, o.faults[k], 'a number in [0, 1]');
  }
  check(
    o.faults.html502 + o.faults.reset <= 1,
    'faults.reset',
    o.faults.reset,
    'such that html502 + reset <= 1',
  );
  check(isNonNeg(o.faults.slowMs), 'faults.slowMs', o.faults.slowMs, 'a number >= 0');
  validatePlatformOptions(o.platform);
}

function validateDistribution(d: ResolvedSimulatorOptions['solveTime']): void {
  if (d === null || typeof d === 'function') return;
  switch (d.kind) {
    case 'fixed':
      return check(isNonNeg(d.ms), 'solveTime.ms', d.ms, 'a number >= 0');
    case 'lognormal':
      check(isNonNeg(d.sigma), 'solveTime.sigma', d.sigma, 'a number >= 0');
      return check(
        isNonNeg(d.medianMs ?? d.meanMs),
        'solveTime.medianMs',
        d.medianMs ?? d.meanMs,
        'a number >= 0 (medianMs or meanMs)',
      );
    case 'pareto':
      check(isNonNeg(d.scaleMs) && d.scaleMs > 0, 'solveTime.scaleMs', d.scaleMs, 'a number > 0');
      return check(isNonNeg(d.alpha) && d.alpha > 0, 'solveTime.alpha', d.alpha, 'a number > 0');
    default:
      throw new ConfigError(
        'solveTime',
        `solveTime.kind must be 'lognormal', 'pareto' or 'fixed', got ${JSON.stringify((d as { kind: unknown }).kind)}`,
      );
  }
}
