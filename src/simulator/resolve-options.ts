import { ConfigError } from '../errors/config-error.js';
import { validateSimulatorOptions } from './validate-options.js';
import type {
  PlatformOptions,
  PlatformOutage,
  ResolvedSimulatorOptions,
  SimulatorOptions,
  SimulatorProfile,
  SolveCategory,
} from './options.js';

/**
 * The medians of docs/protocol.md, "Solve times in the simulator" (published or observed figures
 * where there are any); sigma 0.5 gives roughly a 0.4×–2.7× spread at ±2σ.
 */
const SOLVE_TIMES: ResolvedSimulatorOptions['solveTimes'] = Object.freeze({
  image: Object.freeze({ medianMs: 3000, sigma: 0.5 }),
  recaptchaV2: Object.freeze({ medianMs: 20000, sigma: 0.5 }),
  recaptchaV3: Object.freeze({ medianMs: 5000, sigma: 0.5 }),
  turnstile: Object.freeze({ medianMs: 12000, sigma: 0.5 }),
  cloudflareChallenge: Object.freeze({ medianMs: 20000, sigma: 0.5 }),
  geetest: Object.freeze({ medianMs: 10000, sigma: 0.5 }),
  hcaptcha: Object.freeze({ medianMs: 15000, sigma: 0.5 }),
  other: Object.freeze({ medianMs: 10000, sigma: 0.5 }),
});

const BAN_RULES: ResolvedSimulatorOptions['banRules'] = Object.freeze({
  maxUserTurn: Object.freeze({ count: 60, windowMs: 3000, banMs: 10000 }),
  noSlot: Object.freeze({ count: 120, windowMs: 60000, banMs: 600000 }),
  zeroBalance: Object.freeze({ count: 120, windowMs: 60000, banMs: 300000 }),
  pollsPerTask: Object.freeze({ max: 20, banMs: 300000 }),
});

/** The captchaai profile's defaults. */
export const DEFAULT_SIMULATOR_OPTIONS: Readonly<ResolvedSimulatorOptions> = Object.freeze({
  profile: 'captchaai',
  seed: 1,
  defaultAccount: Object.freeze({ threads: 10 }),
  capacityCode: 'ERROR_ZERO_BALANCE',
  slotRelease: 'solve',
  jsonIdAsNumber: true,
  batchPoll: false,
  batchPollMax: 100,
  threadsInfo: true,
  solveTimes: SOLVE_TIMES,
  solveTime: null,
  timeScale: 1,
  unsolvableRate: 0.02,
  retentionMs: 15 * 60_000,
  imageMinBytes: 100,
  imageMaxBytes: 100 * 1024,
  checkImageType: false,
  badKeyBanThreshold: 10,
  badKeyWindowMs: 60_000,
  badKeyBanMs: 5 * 60_000,
  requestsPerSecond: null,
  rateBurst: null,
  retryAfter: 'none',
  clockSkewMs: 0,
  throttleWindows: Object.freeze([]) as unknown as ResolvedSimulatorOptions['throttleWindows'],
  enforceBans: false,
  banRules: BAN_RULES,
  pingbackSender: null,
  pingbackMethod: 'GET',
  pingbackOnUnsolvable: false,
  pricePerSolve: 0,
  faults: Object.freeze({
    html502: 0,
    reset: 0,
    afterProcessing: 0.5,
    truncatedJson: 0,
    slowRate: 0,
    slowMs: 0,
  }),
  platform: Object.freeze({}),
});

/** Where the 2captcha profile differs from CaptchaAI's defaults. */
const TWO_CAPTCHA_DEFAULTS: Partial<ResolvedSimulatorOptions> = {
  capacityCode: 'ERROR_NO_SLOT_AVAILABLE',
  badKeyBanThreshold: 5,
  badKeyBanMs: 10 * 60_000,
  enforceBans: true,
  pingbackMethod: 'POST',
  pingbackOnUnsolvable: true,
};

/**
 * Fills every option from the profile's defaults and validates once, naming the bad option.
 * Nested objects (`solveTimes`, `banRules`, `faults`) merge field by field.
 */
export function resolveSimulatorOptions(
  input: Partial<SimulatorOptions> = {},
): ResolvedSimulatorOptions {
  const profile: SimulatorProfile = input.profile ?? 'captchaai';
  if (profile !== 'captchaai' && profile !== '2captcha') {
    throw new ConfigError(
      'profile',
      `profile must be 'captchaai' or '2captcha', got ${String(profile)}`,
    );
  }
  const base = {
    ...DEFAULT_SIMULATOR_OPTIONS,
    ...(profile === '2captcha' ? TWO_CAPTCHA_DEFAULTS : {}),
  };
  const defined = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== undefined),
  ) as Partial<SimulatorOptions>;
  const solveTimes = { ...base.solveTimes };
  for (const [k, v] of Object.entries(input.solveTimes ?? {})) {
    if (v) solveTimes[k as SolveCategory] = { ...solveTimes[k as SolveCategory], ...v };
  }
  const resolved: ResolvedSimulatorOptions = {
    ...base,
    ...defined,
    profile,
    solveTimes,
    banRules: { ...base.banRules, ...stripUndefined(input.banRules) },
    faults: { ...base.faults, ...stripUndefined(input.faults) },
    throttleWindows: [...(input.throttleWindows ?? base.throttleWindows)],
    platform: copyPlatform(input.platform ?? base.platform),
  };
  validateSimulatorOptions(resolved);
  return resolved;
}

/**
 * A copy the simulator owns (so a caller changing its object mid-run changes nothing), with
 * undefined fields dropped.
 */
function copyPlatform(p: PlatformOptions): PlatformOptions {
  const out: PlatformOptions = {};
  if (p.caps !== undefined) out.caps = { ...p.caps };
  const outages: unknown = p.outages;
  // Not an array: kept as given, for the validator to name.
  if (Array.isArray(outages)) out.outages = (outages as PlatformOutage[]).map((o) => ({ ...o }));
  else if (p.outages !== undefined) out.outages = p.outages;
  if (p.refusalCode !== undefined) out.refusalCode = p.refusalCode;
  if (p.dayCurve !== undefined && p.dayCurve !== null) {
    const c = p.dayCurve;
    out.dayCurve = {
      ...stripUndefined(c),
      workers: { ...c.workers },
      ...(c.hourFactors !== undefined ? { hourFactors: [...c.hourFactors] } : {}),
      ...(c.bursts ? { bursts: { ...stripUndefined(c.bursts), perHour: c.bursts.perHour } } : {}),
    };
  } else if (p.dayCurve === null) out.dayCurve = null;
  return out;
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(o ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
