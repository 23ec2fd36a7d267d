import { UsageError } from './usage-error.js';

/**
 * Flag value parsers. Each names the flag in its error, because the user typed the flag, not the
 * library option behind it.
 */
export interface NumberRule {
  min?: number;
  /** Reject 0 even when `min` is 0. */
  positive?: boolean;
  integer?: boolean;
  max?: number;
  /**
   * The flag is a duration in milliseconds, and a value below this is surely a unit mistake
   * (`--timeout 1.5` meant seconds): refused with a message that names the unit.
   */
  minMs?: number;
}

/**
 * A timeout-like duration flag in milliseconds: under a second is surely a unit mistake; the task
 * would be given up right after it was submitted, or before it got a thread.
 */
export const DURATION: NumberRule = Object.freeze({ positive: true, minMs: 1000 });

/**
 * The poll interval in milliseconds: under 10 ms is surely seconds typed as milliseconds
 * (`--poll-interval 1.5`, `5`), which would poll a task hundreds of times a second. Small values
 * above it stay allowed for fast simulations.
 */
export const POLL_INTERVAL: NumberRule = Object.freeze({ positive: true, minMs: 10 });

export function parseNumberFlag(flag: string, raw: string, rule: NumberRule = {}): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  const integer = rule.integer === true;
  const bad =
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    (rule.positive === true && value <= 0) ||
    (rule.min !== undefined && value < rule.min) ||
    (rule.max !== undefined && value > rule.max);
  if (bad)
    throw new UsageError(flag, `${flag} must be ${describe(rule)}, got ${JSON.stringify(raw)}`);
  const floor = rule.minMs;
  if (floor !== undefined && value < floor) {
    throw new UsageError(
      flag,
      `${flag} is in milliseconds and must be at least ${floor}${floor >= 1000 ? ` (${floor / 1000} s)` : ''}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

export function parseOptionalNumber(
  flag: string,
  raw: string | undefined,
  rule: NumberRule = {},
): number | undefined {
  return raw === undefined ? undefined : parseNumberFlag(flag, raw, rule);
}

export function parseChoice<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(
    flag,
    `${flag} must be one of ${choices.map((c) => `"${c}"`).join(', ')}, got ${JSON.stringify(raw)}`,
  );
}

/** A probability flag (fault rates, unsolvable rate). */
export function parseRate(flag: string, raw: string | undefined): number | undefined {
  return parseOptionalNumber(flag, raw, { min: 0, max: 1 });
}

function describe(rule: NumberRule): string {
  const kind = rule.integer === true ? 'a whole number' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined)
    return `${kind} from ${rule.min} to ${rule.max}`;
  if (rule.positive === true) return `${kind} > 0`;
  if (rule.min !== undefined) return `${kind} >= ${rule.min}`;
  return kind;
}
