import { ConfigError } from '../errors/config-error.js';

/**
 * Tuning of the account-wide request-rate controller. What it does with a 429 and why is in the
 * README's flow-control section ("Flow control: what the solver does with many tasks", Requests).
 */
export interface RateControllerOptions {
  /**
   * Hard ceiling on requests per second for the whole account, never exceeded. Without one the
   * controller lets requests go as fast as they are asked for until the server first answers 429.
   * @default undefined (no ceiling)
   */
  requestsPerSecond?: number | undefined;
  /**
   * Without a ceiling, requests before the server's first 429 start at this rate, which doubles
   * every `slowStartDoublingMs` of time requests wait for it, until it passes 1,000/s (see
   * SlowStart). Undefined: unpaced from the start.
   * @default undefined
   */
  slowStartRate?: number | undefined;
  /** @default 250 */
  slowStartDoublingMs?: number;
  /**
   * Bucket size in tokens: how many requests may leave back to back after a quiet spell. One keeps
   * requests evenly spaced, which is what a server counting a sliding one-second window needs:
   * any burst on top of a rate near its limit spends that window twice.
   * @default 1
   */
  burst?: number;
  /**
   * On a 429 the allowed rate becomes `beta` times the send rate that drew it (CUBIC's beta).
   * @default 0.7
   */
  beta?: number;
  /**
   * At most one cut per this long, so the 429s of requests already in flight count as one signal
   * instead of collapsing the rate.
   * @default 1000
   */
  decreaseCooldownMs?: number;
  /**
   * Rate-limited time the rate takes to climb back to where it was cut (CUBIC's K). Services count
   * per-minute windows; a one-second recovery would run into the same window again at once.
   * @default 60000
   */
  recoveryWindowMs?: number;
  /**
   * Floor of the allowed rate, so a storm of 429s slows traffic but never stops it.
   * @default 0.2
   */
  minRate?: number;
  /**
   * The recovered plateau sits this fraction below the rate that drew the 429, because that rate
   * was just over the server's limit: holding it would draw a 429 per recovery window.
   * @default 0.01
   */
  plateauMargin?: number;
  /**
   * Probe above the plateau only after this many requests since the last cut. A probe costs about
   * one 429, so this bounds 429s to about one per this many requests; at high rates the recovery
   * window is the longer wait and this changes nothing.
   * @default 2000
   */
  probeAfterRequests?: number;
  /**
   * ...or after this much rate-limited time at the plateau, so that a low rate (where the request
   * count alone would take hours) still finds a raised limit. Each probe that draws a 429 at about
   * the same level doubles both waits: a limit that has not moved is probed ever more rarely.
   * @default 900000 (15 minutes)
   */
  probeAfterMs?: number;
  /**
   * A storm of 429s refusing every request (nothing got through since the last one) pauses the
   * account instead of cutting the rate further: the first pause lasts about this long, each
   * further one twice as long, jittered.
   * @default 1000
   */
  stormBaseMs?: number;
  /**
   * The longest pause in a storm, and so about the longest the account stays paused after the
   * server answers again; probing a long outage costs one request per pause.
   * @default 5000
   */
  stormCapMs?: number;
  /**
   * After a server pause, the requests held by it are released spread at random over this long,
   * not all in the same millisecond.
   * @default 1000
   */
  resumeSpreadMs?: number;
}

export interface ResolvedRateControllerOptions {
  readonly requestsPerSecond: number | undefined;
  readonly slowStartRate: number | undefined;
  readonly slowStartDoublingMs: number;
  readonly burst: number;
  readonly beta: number;
  readonly decreaseCooldownMs: number;
  readonly recoveryWindowMs: number;
  readonly minRate: number;
  readonly plateauMargin: number;
  readonly probeAfterRequests: number;
  readonly probeAfterMs: number;
  readonly stormBaseMs: number;
  readonly stormCapMs: number;
  readonly resumeSpreadMs: number;
}

export const DEFAULT_RATE_CONTROLLER_OPTIONS: ResolvedRateControllerOptions = Object.freeze({
  requestsPerSecond: undefined,
  slowStartRate: undefined,
  slowStartDoublingMs: 250,
  burst: 1,
  beta: 0.7,
  decreaseCooldownMs: 1_000,
  recoveryWindowMs: 60_000,
  minRate: 0.2,
  plateauMargin: 0.01,
  probeAfterRequests: 2_000,
  probeAfterMs: 900_000,
  stormBaseMs: 1_000,
  stormCapMs: 5_000,
  resumeSpreadMs: 1_000,
});

/** Validates once, names the bad option and value, fills in defaults. */
export function resolveRateControllerOptions(
  input: RateControllerOptions = {},
): ResolvedRateControllerOptions {
  const d = DEFAULT_RATE_CONTROLLER_OPTIONS;
  const requestsPerSecond = input.requestsPerSecond;
  if (requestsPerSecond !== undefined)
    check('requestsPerSecond', requestsPerSecond, (v) => v > 0, '> 0');
  const slowStartRate = input.slowStartRate;
  if (slowStartRate !== undefined) check('slowStartRate', slowStartRate, (v) => v > 0, '> 0');
  const slowStartDoublingMs = check(
    'slowStartDoublingMs',
    input.slowStartDoublingMs ?? d.slowStartDoublingMs,
    (v) => v > 0,
    '> 0',
  );
  const burst = check('burst', input.burst ?? d.burst, (v) => v >= 1, '>= 1');
  const beta = check('beta', input.beta ?? d.beta, (v) => v > 0 && v < 1, 'in (0, 1)');
  const decreaseCooldownMs = check(
    'decreaseCooldownMs',
    input.decreaseCooldownMs ?? d.decreaseCooldownMs,
    (v) => v >= 0,
    '>= 0',
  );
  const recoveryWindowMs = check(
    'recoveryWindowMs',
    input.recoveryWindowMs ?? d.recoveryWindowMs,
    (v) => v > 0,
    '> 0',
  );
  const minRate = check('minRate', input.minRate ?? d.minRate, (v) => v > 0, '> 0');
  if (requestsPerSecond !== undefined && minRate > requestsPerSecond) {
    throw new ConfigError(
      'minRate',
      `Option "minRate" (${minRate}) must not exceed "requestsPerSecond" (${requestsPerSecond})`,
    );
  }
  const plateauMargin = check(
    'plateauMargin',
    input.plateauMargin ?? d.plateauMargin,
    (v) => v >= 0 && v < 1 - beta,
    `in [0, 1 - beta = ${1 - beta})`,
  );
  const probeAfterRequests = check(
    'probeAfterRequests',
    input.probeAfterRequests ?? d.probeAfterRequests,
    (v) => v >= 0,
    '>= 0',
  );
  const probeAfterMs = check(
    'probeAfterMs',
    input.probeAfterMs ?? d.probeAfterMs,
    (v) => v >= 0,
    '>= 0',
  );
  const stormBaseMs = check('stormBaseMs', input.stormBaseMs ?? d.stormBaseMs, (v) => v > 0, '> 0');
  const stormCapMs = check(
    'stormCapMs',
    input.stormCapMs ?? d.stormCapMs,
    (v) => v >= stormBaseMs,
    `>= stormBaseMs (${stormBaseMs})`,
  );
  const resumeSpreadMs = check(
    'resumeSpreadMs',
    input.resumeSpreadMs ?? d.resumeSpreadMs,
    (v) => v >= 0,
    '>= 0',
  );
  return Object.freeze({
    requestsPerSecond,
    slowStartRate,
    slowStartDoublingMs,
    burst,
    beta,
    decreaseCooldownMs,
    recoveryWindowMs,
    minRate,
    plateauMargin,
    probeAfterRequests,
    probeAfterMs,
    stormBaseMs,
    stormCapMs,
    resumeSpreadMs,
  });
}

function check(
  option: string,
  value: unknown,
  ok: (v: number) => boolean,
  expected: string,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new ConfigError(
      option,
      `Option "${option}" must be a finite number ${expected}, got ${String(value)}`,
    );
  }
  return value;
}
