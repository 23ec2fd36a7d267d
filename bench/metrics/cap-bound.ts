/**
 * The closed form for a constant cap (S10): no schedule finishes before the capped types' work
 * at their caps, nor before all the work on all the threads. `caps` lists the capped types.
 */
export function capIdealMs(
  workMs: Readonly<Record<string, number>>,
  caps: Readonly<Partial<Record<string, number>>>,
  threads: number,
): number {
  let total = 0;
  let ideal = 0;
  for (const [type, ms] of Object.entries(workMs)) {
    total += ms;
    const cap = caps[type];
    if (cap !== undefined) ideal = Math.max(ideal, cap > 0 ? ms / cap : Number.POSITIVE_INFINITY);
  }
  return Math.max(ideal, total / threads);
}
