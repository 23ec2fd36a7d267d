import type { ClientId } from './types.js';

/** Mean solve time of every scenario: 20 s, as reCAPTCHA v2 on the real services. */
export const MEAN_SOLVE_MS = 20_000;

/** Log-normal solve times around that mean, sigma 0.5 (median 17.65 s). */
export const LOGNORMAL = { kind: 'lognormal', meanMs: MEAN_SOLVE_MS, sigma: 0.5 } as const;

/** Every client a scenario runs unless it names its own. */
export const ALL_CLIENTS: readonly ClientId[] = [
  'ours',
  'vendor@20',
  'vendor@L*',
  'vendor@1.6L*',
  'p-retry@L*',
  'p-queue@L*',
];

/** Simulator settings every scenario shares: the captchaai profile, nothing unsolvable, no threadsinfo. */
export const BASE = { profile: 'captchaai', unsolvableRate: 0, threadsInfo: false } as const;

/**
 * What a careful user gives p-queue's interval cap without a known rate limit: twice the request
 * rate the slot bound needs at 4 requests per task (8·L* / T̄ per second), at least 2.
 */
export function saneRps(threads: number): number {
  return Math.max(2, Math.ceil((8 * threads * 1000) / MEAN_SOLVE_MS));
}
