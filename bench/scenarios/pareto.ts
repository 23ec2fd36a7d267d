/** E[min(X, cap)] of a Pareto(scale, alpha) variable (the simulator's capped draw). */
export function cappedParetoMean(scale: number, alpha: number, cap: number): number {
  if (cap <= scale) return cap;
  const tail = Math.pow(scale / cap, alpha);
  const body =
    alpha === 1
      ? scale * Math.log(cap / scale)
      : ((alpha * scale) / (alpha - 1)) * (1 - Math.pow(scale / cap, alpha - 1));
  return body + cap * tail;
}

/** The Pareto scale whose draws, capped at `cap`, have mean `mean` (bisection; the mean grows with the scale). */
export function paretoScaleForMean(mean: number, alpha: number, cap: number): number {
  let lo = 0;
  let hi = mean;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (cappedParetoMean(mid, alpha, cap) < mean) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
