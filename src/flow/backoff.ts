import type { Random } from '../time/random.js';

export interface BackoffPolicy {
  /** Delay scale of the first retry. */
  baseMs: number;
  /** No delay exceeds this. */
  capMs: number;
}

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): a uniform delay in
 * [0, min(cap, base * 2^attempt)). Of the usual schemes it spends the fewest requests under
 * contention, because clients that were rejected together do not retry together.
 * `attempt` counts from 0. Pure: returns a duration, never waits.
 */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: Random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * A server-given pause (Retry-After, a documented ban) is a floor; a little jitter on top keeps
 * every waiting request from returning in the same millisecond. Clamped to `maxMs`.
 */
export function serverPauseDelay(
  pauseMs: number,
  maxMs: number,
  random: Random,
  jitterMs = 250,
): number {
  return Math.min(maxMs, Math.max(0, pauseMs) + Math.floor(random() * jitterMs));
}
