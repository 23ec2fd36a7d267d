import type { PlatformOptions, PlatformOutage, PlatformType } from '../../simulator/options.js';
import { isPlatformType, PLATFORM_TYPES } from '../../simulator/platform-type.js';
import { parseChoice, parseNumberFlag, parseOptionalNumber } from '../flag-values.js';
import { UsageError } from '../usage-error.js';

/** The `captchaai sim` flags that limit the platform's workers per CAPTCHA type. */
export interface PlatformFlags {
  typeCap?: string[];
  outage?: string[];
  dayCurve?: string[];
  hourFactors?: string;
  startHour?: string;
  bursts?: string;
  platformCode?: string;
}

/** Simulator option paths (prefixes) mapped to the flag that sets them, for resolver errors. */
export const PLATFORM_FLAGS: ReadonlyArray<readonly [option: string, flag: string]> = Object.freeze(
  [
    ['platform.caps', '--type-cap'],
    ['platform.outages', '--outage'],
    ['platform.dayCurve.workers', '--day-curve'],
    ['platform.dayCurve.hourFactors', '--hour-factors'],
    ['platform.dayCurve.startHourUtc', '--start-hour'],
    ['platform.dayCurve.bursts', '--bursts'],
    ['platform.dayCurve', '--day-curve'],
    ['platform.refusalCode', '--platform-code'],
  ] as const,
);

/** Commander's accumulator for a repeatable flag. */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseType(flag: string, raw: string): PlatformType {
  const type = raw.trim();
  if (isPlatformType(type)) return type;
  throw new UsageError(
    flag,
    `${flag}: unknown CAPTCHA type ${JSON.stringify(raw)} (one of ${PLATFORM_TYPES.join(', ')})`,
  );
}

/** `--bursts` given without a number: bursts per hour at the curve's factor 1 (our choice). */
export const DEFAULT_BURSTS_PER_HOUR = 6;

/** `TYPE=N` pairs (comma-separated in one value, or one per repetition); empty values skipped. */
function parseCounts(
  flag: string,
  values: readonly string[],
): Partial<Record<PlatformType, number>> {
  const out: Partial<Record<PlatformType, number>> = {};
  const items = values.flatMap((v) => v.split(',')).filter((item) => item.trim() !== '');
  for (const item of items) {
    const m = /^([^=]+)=(.*)$/.exec(item.trim());
    if (!m) throw new UsageError(flag, `${flag} takes TYPE=N, got ${JSON.stringify(item)}`);
    const type = parseType(flag, m[1] ?? '');
    out[type] = parseNumberFlag(flag, m[2] ?? '', { integer: true, min: 0 });
  }
  return out;
}

/** `TYPE:FROM-TO`, seconds of simulated time since the simulator started. */
function parseOutage(raw: string): PlatformOutage {
  const flag = '--outage';
  const m = /^([^:]+):([^-]+)-(.+)$/.exec(raw.trim());
  if (!m)
    throw new UsageError(flag, `${flag} takes TYPE:FROM-TO (seconds), got ${JSON.stringify(raw)}`);
  const type = parseType(flag, m[1] ?? '');
  const from = parseNumberFlag(flag, m[2] ?? '', { min: 0 });
  const to = parseNumberFlag(flag, m[3] ?? '', { min: 0 });
  if (to < from)
    throw new UsageError(flag, `${flag}: TO must not be before FROM, got ${JSON.stringify(raw)}`);
  return { type, fromMs: from * 1000, toMs: to * 1000 };
}

/** `--hour-factors`: 24 numbers >= 0, comma-separated, for UTC hours 0 to 23. */
function parseHourFactors(raw: string): number[] {
  const flag = '--hour-factors';
  const parts = raw.split(',');
  if (parts.length !== 24) {
    throw new UsageError(
      flag,
      `${flag} takes 24 comma-separated numbers (UTC hours 0-23), got ${parts.length}`,
    );
  }
  return parts.map((part) => parseNumberFlag(flag, part, { min: 0 }));
}

/** Every CAPTCHA type with `workers` free workers: `--day-curve` given without a value. */
function everyType(workers: number): Partial<Record<PlatformType, number>> {
  return Object.fromEntries(PLATFORM_TYPES.map((type) => [type, workers]));
}

/**
 * The platform options the flags ask for; undefined when none was given, so the simulator runs
 * exactly as without them. `--day-curve` without a value gives every type `threads` free
 * workers (the account's), so the hour's factor is the share of the account the platform
 * serves. `--hour-factors`, `--start-hour` and `--bursts` shape the day curve, so they need it.
 */
export function platformOptions(
  flags: PlatformFlags,
  threads: number,
): PlatformOptions | undefined {
  const platform: PlatformOptions = {};
  if (flags.typeCap?.length) platform.caps = parseCounts('--type-cap', flags.typeCap);
  if (flags.outage?.length) platform.outages = flags.outage.map(parseOutage);
  const startHour = parseOptionalNumber('--start-hour', flags.startHour, { min: 0 });
  if (startHour !== undefined && startHour >= 24) {
    throw new UsageError(
      '--start-hour',
      `--start-hour must be a number from 0 to below 24, got ${JSON.stringify(flags.startHour)}`,
    );
  }
  const hourFactors =
    flags.hourFactors === undefined ? undefined : parseHourFactors(flags.hourFactors);
  const perHour =
    flags.bursts === ''
      ? DEFAULT_BURSTS_PER_HOUR
      : parseOptionalNumber('--bursts', flags.bursts, { min: 0 });
  if (flags.dayCurve?.length) {
    const workers = parseCounts('--day-curve', flags.dayCurve);
    platform.dayCurve = {
      workers: Object.keys(workers).length > 0 ? workers : everyType(threads),
      ...(hourFactors !== undefined ? { hourFactors } : {}),
      ...(startHour !== undefined ? { startHourUtc: startHour } : {}),
      ...(perHour !== undefined ? { bursts: { perHour } } : {}),
    };
  } else {
    const shaping: Array<[string, unknown]> = [
      ['--hour-factors', hourFactors],
      ['--start-hour', startHour],
      ['--bursts', perHour],
    ];
    const lone = shaping.find(([, value]) => value !== undefined);
    if (lone) throw new UsageError(lone[0], `${lone[0]} needs --day-curve`);
  }
  if (flags.platformCode !== undefined) {
    platform.refusalCode = parseChoice('--platform-code', flags.platformCode, [
      'ERROR_ZERO_BALANCE',
      'ERROR_NO_SLOT_AVAILABLE',
    ] as const);
  }
  return Object.keys(platform).length > 0 ? platform : undefined;
}

/** The flag behind a simulator option path, when it is a platform option. */
export function platformFlagFor(option: string): string | undefined {
  return PLATFORM_FLAGS.find(
    ([prefix]) =>
      option === prefix || option.startsWith(`${prefix}.`) || option.startsWith(`${prefix}[`),
  )?.[1];
}

function pairs(map: Partial<Record<string, number>>): string {
  const entries = Object.entries(map);
  const counts = new Set(entries.map(([, n]) => n));
  if (entries.length === PLATFORM_TYPES.length && counts.size === 1)
    return `every type=${String(entries[0]?.[1])}`;
  return entries.map(([type, n]) => `${type}=${String(n)}`).join(',');
}

/** One line saying what the platform flags turned on, for the start-up log; undefined for none. */
export function describePlatform(p: PlatformOptions | undefined): string | undefined {
  if (!p) return undefined;
  const parts: string[] = [];
  if (p.caps) parts.push(`type caps ${pairs(p.caps)}`);
  for (const o of p.outages ?? [])
    parts.push(`${o.type} out ${o.fromMs / 1000}-${o.toMs / 1000} s`);
  const curve = p.dayCurve;
  if (curve) {
    const start = curve.startHourUtc === undefined ? 'now' : `${curve.startHourUtc} h`;
    const custom = curve.hourFactors ? ', own hour factors' : '';
    const bursts = curve.bursts ? `, ${curve.bursts.perHour} bursts/h` : '';
    parts.push(`day curve ${pairs(curve.workers)} from UTC ${start}${custom}${bursts}`);
  }
  if (p.refusalCode) parts.push(`platform refusals answer ${p.refusalCode}`);
  return `platform: ${parts.join('; ')}`;
}
