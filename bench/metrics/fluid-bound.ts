/** What the fluid schedule needs: the work, the account's threads and the platform's capacity over time. */
export interface FluidInput {
  /** Work per CAPTCHA type, in thread-ms (the solve times of that type's tasks, summed). */
  workMs: Readonly<Record<string, number>>;
  /** The account's threads at `atMs` after the simulator's start (plan changes). */
  threadsAt(atMs: number): number;
  /** Most tasks of `type` the platform takes at once at `atMs`; Infinity when unconstrained. */
  capacityAt(type: string, atMs: number): number;
  /** Step of the schedule. @default 1000 */
  stepMs?: number;
  /** Give up (null) if the work is not done by then. @default 30 days */
  maxMs?: number;
}

const DEFAULT_STEP_MS = 1_000;
const DEFAULT_MAX_MS = 30 * 24 * 3_600_000;

/**
 * The earliest time (ms after the start) at which all the work could be done if the client knew
 * the capacity curve in advance and work could be split at will: a fluid schedule. At each step
 * every type holds at most min(its capacity at that time, what it still needs), all types together
 * at most the account's threads; the most constrained type (smallest capacity) is served first,
 * so the threads it cannot use go to the others. Because work is divisible and known, no client
 * finishes sooner (up to one step), which makes `ideal / measured` an efficiency. Null when the
 * work cannot finish by `maxMs` (a type refused for ever).
 *
 * A type that finishes inside a step is timed as if it had used every thread it could get, while
 * the step's allocation spreads its last piece over the whole step; both differ by under a step.
 */
export function fluidIdealMs(input: FluidInput): number | null {
  const step = input.stepMs ?? DEFAULT_STEP_MS;
  const maxMs = input.maxMs ?? DEFAULT_MAX_MS;
  const remaining = new Map<string, number>();
  for (const [type, ms] of Object.entries(input.workMs)) if (ms > 0) remaining.set(type, ms);
  if (remaining.size === 0) return 0;
  for (let t = 0; t < maxMs; t += step) {
    const order = [...remaining.keys()]
      .map((type) => ({ type, cap: Math.max(0, input.capacityAt(type, t)) }))
      .sort((a, b) => a.cap - b.cap || (a.type < b.type ? -1 : 1));
    let left = Math.max(0, input.threadsAt(t));
    let finishedAt = 0;
    for (const { type, cap } of order) {
      const rem = remaining.get(type) as number;
      const available = Math.min(cap, left);
      if (!(available > 0)) continue;
      const need = rem / step;
      if (need <= available) {
        finishedAt = Math.max(finishedAt, rem / available);
        remaining.delete(type);
        left -= need;
      } else {
        remaining.set(type, rem - available * step);
        left -= available;
      }
    }
    if (remaining.size === 0) return t + finishedAt;
  }
  return null;
}
