import type { Scenario } from '../scenarios/types.js';

/** The physical bound of the account's threads and rate limit, X ≤ min(L* / T_occ, R* / c_min), in solved tasks per second. */
export interface Bound {
  /** Tasks per second. */
  bound: number;
  /** min(L*, demand) / E[solve time]; E[solve] from the simulator's distribution. */
  slotBound: number;
  /** R* / c_min, or Infinity without a rate limit. */
  rateBound: number;
  /** Requests a solved task needs at the least: 1 + 1/batchPollMax with ids=, else 2. */
  costMin: number;
  meanSolveMs: number;
  /** Which of the two binds. */
  binding: 'slots' | 'rate' | 'demand';
}

/**
 * The bound for `threads` slots. Slots: Little's law with T_occ = the mean solve time (case A;
 * for case B, slotRelease 'collect', the same L* / E[solve]: the poll lag is the client's to
 * minimise, so it is not given away in the yardstick). Rate: every solved task needs one submit
 * and its share of a poll, c_min = 1 + 1/100 with ids= (100 ids per batch poll), 2 without.
 * Throttle windows (S5) of W seconds every P: a slot freed inside a window stays idle until it
 * ends, W²/(2·T̄·P) of the slot capacity; the rate bound loses W/P.
 */
export function boundFor(
  scenario: Scenario,
  meanSolveMs: number,
  threads = scenario.threads,
): Bound {
  const sim = scenario.sim;
  const used = Math.min(threads, scenario.demand ?? Number.POSITIVE_INFINITY);
  const throttle = throttleShare(scenario);
  const slotBound = (used / (meanSolveMs / 1000)) * (1 - throttle.slotLoss(meanSolveMs));
  const costMin = sim.batchPoll ? 1 + 1 / (sim.batchPollMax ?? 100) : 2;
  const rps = sim.requestsPerSecond ?? null;
  const rateBound =
    rps === null ? Number.POSITIVE_INFINITY : (rps / costMin) * (1 - throttle.rateLoss);
  const bound = Math.min(slotBound, rateBound);
  const binding = rateBound < slotBound ? 'rate' : used < threads ? 'demand' : 'slots';
  return { bound, slotBound, rateBound, costMin, meanSolveMs, binding };
}

function throttleShare(scenario: Scenario): {
  slotLoss: (meanMs: number) => number;
  rateLoss: number;
} {
  const windows = scenario.sim.throttleWindows ?? [];
  const [a, b] = windows;
  if (!a || !b) return { slotLoss: () => 0, rateLoss: 0 };
  const w = a.toMs - a.fromMs;
  const p = b.fromMs - a.fromMs;
  return { slotLoss: (meanMs) => (w * w) / (2 * meanMs * p), rateLoss: w / p };
}

/** The account's threads at `atMs` after the start (S3's plan changes). */
export function threadsAt(scenario: Scenario, atMs: number): number {
  let threads = scenario.threads;
  for (const change of scenario.threadChanges) if (atMs >= change.atMs) threads = change.threads;
  return threads;
}

/** The time-average of the bound over [fromMs, toMs) after the start (plan changes weigh by duration). */
export function averageBound(
  scenario: Scenario,
  meanSolveMs: number,
  fromMs: number,
  toMs: number,
): number {
  if (!(toMs > fromMs)) return boundFor(scenario, meanSolveMs, threadsAt(scenario, fromMs)).bound;
  const cuts = [
    fromMs,
    ...scenario.threadChanges.map((c) => c.atMs).filter((t) => t > fromMs && t < toMs),
    toMs,
  ];
  let sum = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i] as number;
    const to = cuts[i + 1] as number;
    sum += boundFor(scenario, meanSolveMs, threadsAt(scenario, from)).bound * (to - from);
  }
  return sum / (toMs - fromMs);
}
