import { ConfigError } from '../errors/config-error.js';
import type { PlatformOptions } from './options.js';
import { isPlatformType, PLATFORM_TYPES } from './platform-type.js';

function check(ok: boolean, option: string, value: unknown, want: string): void {
  if (!ok) throw new ConfigError(option, `${option} must be ${want}, got ${JSON.stringify(value)}`);
}

const isNonNeg = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
const isShare = (n: unknown): boolean => isNonNeg(n) && n <= 1;
const isCount = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 0;
const TYPES = `one of ${PLATFORM_TYPES.join(', ')}`;

/** Per-type counts (caps, workers): known types, integers >= 0. */
function checkPerType(option: string, map: object | undefined): void {
  check(map === undefined || (typeof map === 'object' && map !== null), option, map, 'an object');
  for (const [type, n] of Object.entries(map ?? {})) {
    check(isPlatformType(type), `${option}.${type}`, type, `a CAPTCHA type (${TYPES})`);
    check(isCount(n), `${option}.${type}`, n, 'an integer >= 0');
  }
}

/** Throws a ConfigError naming the first bad `platform.*` option and its value. */
export function validatePlatformOptions(p: PlatformOptions): void {
  checkPerType('platform.caps', p.caps);
  const outages = p.outages ?? [];
  check(Array.isArray(outages), 'platform.outages', outages, 'an array');
  outages.forEach((o, i) => {
    const name = `platform.outages[${i}]`;
    check(isPlatformType(o.type), `${name}.type`, o.type, `a CAPTCHA type (${TYPES})`);
    check(
      isNonNeg(o.fromMs) && isNonNeg(o.toMs) && o.toMs >= o.fromMs,
      name,
      o,
      '{ fromMs <= toMs }, both >= 0',
    );
  });
  check(
    p.refusalCode === undefined ||
      p.refusalCode === 'ERROR_ZERO_BALANCE' ||
      p.refusalCode === 'ERROR_NO_SLOT_AVAILABLE',
    'platform.refusalCode',
    p.refusalCode,
    "'ERROR_ZERO_BALANCE' or 'ERROR_NO_SLOT_AVAILABLE'",
  );
  const curve = p.dayCurve;
  if (curve === undefined || curve === null) return;
  checkPerType('platform.dayCurve.workers', curve.workers);
  const factors = curve.hourFactors;
  check(
    factors === undefined || (factors.length === 24 && factors.every(isNonNeg)),
    'platform.dayCurve.hourFactors',
    factors,
    '24 numbers >= 0 (one per UTC hour)',
  );
  const start = curve.startHourUtc;
  check(
    start === undefined || (isNonNeg(start) && start < 24),
    'platform.dayCurve.startHourUtc',
    start,
    'a number in [0, 24)',
  );
  const b = curve.bursts;
  if (b === undefined || b === null) return;
  const name = 'platform.dayCurve.bursts';
  check(isNonNeg(b.perHour), `${name}.perHour`, b.perHour, 'a number >= 0');
  for (const k of ['meanMs', 'longMeanMs'] as const) {
    const v = b[k];
    check(v === undefined || (isNonNeg(v) && v > 0), `${name}.${k}`, v, 'a number > 0');
  }
  for (const k of ['longShare', 'depth'] as const) {
    const v = b[k];
    check(v === undefined || isShare(v), `${name}.${k}`, v, 'a number in [0, 1]');
  }
}
