import type { PollSchedule } from './poll-plan.js';
import type { SolveTimeDistribution } from './solve-time-log-normal.js';

// Poll ages for services that free a thread only when the result is collected (case B). There a
// finished task keeps its thread until our poll sees it, so the lag between completion and
// collection is lost capacity: with mean solve time T and mean lag D, throughput is at most
// L*/(T + D). Polls buy that lag down. Minimising `lag + c·polls` over poll densities n(t) gives
// n(t) = sqrt(h(t)/2c), h being the hazard: poll most where completion is most likely *given*
// the task is still unfinished. Then lag·polls is about I²/2, with I = ∫ sqrt(f·S) dt a property
// of the distribution alone, so the price `c` follows from the lag we aim for.

export interface CollectPollPolicy {
  /**
   * Aim for a mean lag between completion and collection of this share of the mean solve time:
   * 0.04 costs about 4 % of the slot bound and, for log-normal sigma 0.5, about 10 polls a task.
   * @default 0.04
   */
  lagFraction?: number;
  /** Never poll sooner than this after the last poll. */
  minGapMs: number;
  /** Never wait longer than this after the last poll, however unlikely completion looks. */
  maxGapMs: number;
  /**
   * Polls the schedule may spend before `budget.quantile` (default 0.95) of the solve time
   * (2captcha-style services ban more than 20 polls a task): the gaps widen, so the lag grows,
   * to stay within it.
   */
  budget?: { polls: number; quantile?: number };
}

export const DEFAULT_COLLECT_LAG_FRACTION = 0.04;

/** Grid steps over the bulk of the distribution for the integral I; plenty for a smooth density. */
const GRID = 160;
/** Bisection steps for a gap: (log maxGap/minGap) / 2^20 is far below a millisecond. */
const GAP_STEPS = 20;

/**
 * `I = ∫ sqrt(f·S) dt` in sqrt(ms), by a geometric grid from the 0.01 % to the 99.99 % quantile:
 * over each step f·dt is the cdf's increase, so each step adds sqrt(dF · S · dt).
 */
export function lagIntegral(model: SolveTimeDistribution): number {
  const lo = Math.max(1, model.quantile(1e-4));
  const hi = Math.max(lo * 1.01, model.quantile(1 - 1e-4));
  const ratio = Math.pow(hi / lo, 1 / GRID);
  let sum = 0;
  let t = lo;
  let cdf = model.cdf(lo);
  for (let i = 0; i < GRID; i++) {
    const next = t * ratio;
    const nextCdf = model.cdf(next);
    // S at the step's middle, in cdf terms.
    const survival = 1 - (cdf + nextCdf) / 2;
    sum += Math.sqrt(Math.max(0, nextCdf - cdf) * Math.max(0, survival) * (next - t));
    t = next;
    cdf = nextCdf;
  }
  return sum;
}

/**
 * The gap after a not-ready poll at `ageMs`: the g with g · P(done by age+g | not done at age) =
 * `price`, the discrete form of gap = sqrt(2c / h). Short where the hazard is high, long early on
 * (the first poll comes by itself near the early quantiles) and in a thinning tail.
 */
export function collectGapMs(
  model: SolveTimeDistribution,
  ageMs: number,
  price: number,
  minGapMs: number,
  maxGapMs: number,
): number {
  const excess = (g: number): number => g * model.conditionalDone(ageMs, ageMs + g) - price;
  if (excess(maxGapMs) <= 0) return maxGapMs;
  if (excess(minGapMs) >= 0) return minGapMs;
  // g · P(done within g) grows with g, so bisect (in logs: gaps span orders of magnitude).
  let lo = Math.log(minGapMs);
  let hi = Math.log(maxGapMs);
  for (let i = 0; i < GAP_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (excess(Math.exp(mid)) < 0) lo = mid;
    else hi = mid;
  }
  return Math.exp(hi);
}

/**
 * The price (in ms, `2c` above) that makes the expected lag `lagFraction` of the mean solve time:
 * lag = sqrt(price) · I / 2. With a budget, raised just enough for the schedule to reach the
 * budget's quantile within its polls.
 */
export function collectPrice(model: SolveTimeDistribution, policy: CollectPollPolicy): number {
  const fraction = policy.lagFraction ?? DEFAULT_COLLECT_LAG_FRACTION;
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`collectPrice: lagFraction must be in (0, 1), got ${fraction}`);
  }
  const meanMs = model.partialMeanMs(0, Infinity);
  const integral = lagIntegral(model);
  const price = integral > 0 ? ((2 * fraction * meanMs) / integral) ** 2 : policy.minGapMs;
  const { budget } = policy;
  if (budget === undefined) return price;
  const until = model.quantile(budget.quantile ?? 0.95);
  const fits = (p: number): boolean => pollsUntil(model, p, policy, until) <= budget.polls;
  if (fits(price)) return price;
  // Bracket by doubling (gaps grow like sqrt(price), so a few steps do), then bisect in logs:
  // the budget should cost no more lag than it must.
  let lo = price;
  let hi = price * 2;
  for (let i = 0; i < 40 && !fits(hi); i++) [lo, hi] = [hi, hi * 2];
  for (let i = 0; i < 12; i++) {
    const mid = Math.sqrt(lo * hi);
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function pollsUntil(
  model: SolveTimeDistribution,
  price: number,
  policy: CollectPollPolicy,
  untilMs: number,
): number {
  let polls = 0;
  for (let age = 0; age < untilMs && polls <= 1000; polls++) {
    age += collectGapMs(model, age, price, policy.minGapMs, policy.maxGapMs);
  }
  return polls;
}

/**
 * The case-B schedule, reading `model` at each call. The price is recalibrated whenever the
 * learned distribution moves (its median or 90 % quantile by more than 1 %), which happens a few
 * dozen times while a model learns and then rarely. A per-task budget is the scheduler's to
 * enforce (it spaces the last polls until the deadline); the price only makes it last.
 */
export function collectPollSchedule(
  model: SolveTimeDistribution,
  policy: CollectPollPolicy,
): PollSchedule {
  if (!(policy.minGapMs > 0 && policy.maxGapMs >= policy.minGapMs)) {
    throw new RangeError(
      `collectPollSchedule: need 0 < minGapMs <= maxGapMs, got ${policy.minGapMs} and ${policy.maxGapMs}`,
    );
  }
  let median = NaN;
  let q90 = NaN;
  let price = 0;
  const moved = (a: number, b: number): boolean => !(Math.abs(a - b) <= 0.01 * b);
  return (lastNotReadyAgeMs) => {
    const m = model.quantile(0.5);
    const q = model.quantile(0.9);
    if (moved(m, median) || moved(q, q90)) {
      median = m;
      q90 = q;
      price = collectPrice(model, policy);
    }
    return (
      lastNotReadyAgeMs +
      collectGapMs(model, lastNotReadyAgeMs, price, policy.minGapMs, policy.maxGapMs)
    );
  };
}
