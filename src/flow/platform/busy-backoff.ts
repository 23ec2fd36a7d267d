import type { Random } from '../../time/random.js';

/** The vendor's advice for a type whose workers are all busy: 3 s, x1.5 a retry, at most 15 s. */
const FIRST_MS = 3_000;
const GROWTH = 1.5;
const BURST_CAP_MS = 15_000;
/**
 * A type refused for longer than this is in an outage, not a burst ("persistent for minutes",
 * wait 5-10 minutes): its tries are spaced further, up to PERSISTENT_CAP_MS.
 */
const PERSISTENT_AFTER_MS = 60_000;
/** Far enough apart that a 10-minute outage costs about two refused submits a minute; near
 * enough that a reopened type is found within half a minute. */
const PERSISTENT_CAP_MS = 30_000;

/**
 * How long a busy type waits before its next try: the vendor's 3 s x1.5 to 15 s while the type
 * has been refused for under a minute, then growing on to 30 s. The jitter keeps several
 * processes on one account from trying together; it only ever shortens the wait (by at most a
 * quarter), so the caps hold. `attempt` counts the refusals of this busy spell from 0. Pure.
 */
export function busyRetryDelay(attempt: number, busyForMs: number, random: Random): number {
  const cap = busyForMs >= PERSISTENT_AFTER_MS ? PERSISTENT_CAP_MS : BURST_CAP_MS;
  const base = Math.min(cap, FIRST_MS * GROWTH ** Math.min(attempt, 20));
  return Math.round(base * (0.75 + 0.25 * random()));
}
