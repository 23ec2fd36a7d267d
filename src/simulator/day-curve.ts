import type { PlatformDayCurve } from './options.js';

export const HOUR_MS = 3_600_000;

/**
 * The vendor's availability table read as numbers: 00-06 UTC "high availability" (1.0), 06-12
 * and 18-24 "moderate" (0.7), 12-18 "peak demand, occasional refusals" (0.4). The numbers are
 * our reading; the table gives only the words.
 */
export const DEFAULT_HOUR_FACTORS: readonly number[] = Object.freeze([
  ...Array<number>(6).fill(1),
  ...Array<number>(6).fill(0.7),
  ...Array<number>(6).fill(0.4),
  ...Array<number>(6).fill(0.7),
]);

const DAY_MS = 24 * HOUR_MS;

/**
 * The UTC hour (fractional, in [0, 24)) of a clock time: what a day curve reads when no start
 * hour is given. A system clock gives the wall clock's hour; a manual clock its own (0 at 0).
 */
export function utcHourOfClock(clockMs: number): number {
  return (((clockMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
}

/** The UTC hour (fractional, in [0, 24)) at `tMs` of simulator time. */
export function utcHourAt(curve: PlatformDayCurve, tMs: number): number {
  const h = (curve.startHourUtc ?? 0) + tMs / HOUR_MS;
  return ((h % 24) + 24) % 24;
}

/** The curve's factor at `tMs`: the factor of the UTC hour it falls in. */
export function hourFactorAt(curve: PlatformDayCurve, tMs: number): number {
  const factors = curve.hourFactors ?? DEFAULT_HOUR_FACTORS;
  return factors[Math.floor(utcHourAt(curve, tMs)) % 24] ?? 1;
}

/** Simulator time of the next whole UTC hour after `tMs` (where the factor may change). */
export function nextHourAt(curve: PlatformDayCurve, tMs: number): number {
  const h = (curve.startHourUtc ?? 0) + tMs / HOUR_MS;
  const next = (Math.floor(h) + 1 - (curve.startHourUtc ?? 0)) * HOUR_MS;
  // Guard against rounding that would not move time forward.
  return next > tMs ? next : tMs + 1;
}
