import type { Random } from '../time/random.js';
import type { ResolvedSimulatorOptions, SolveCategory, SolveTimeDistribution } from './options.js';

/** A standard normal draw (Box–Muller); two uniforms per draw keeps the stream easy to reason about. */
function standardNormal(random: Random): number {
  const u1 = random() || Number.MIN_VALUE;
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function lognormal(medianMs: number, sigma: number, random: Random): number {
  return medianMs * Math.exp(sigma * standardNormal(random));
}

function drawFrom(d: SolveTimeDistribution, random: Random): number {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'lognormal':
      return lognormal(medianOf(d), d.sigma, random);
    case 'pareto': {
      // Inverse CDF: scale / U^(1/alpha), with U in (0, 1].
      const u = 1 - random();
      const x = d.scaleMs / Math.pow(u, 1 / d.alpha);
      return d.maxMs === undefined ? x : Math.min(x, d.maxMs);
    }
  }
}

function medianOf(d: { medianMs?: number; meanMs?: number; sigma: number }): number {
  if (d.medianMs !== undefined) return d.medianMs;
  // mean = median · e^(σ²/2)
  return (d.meanMs ?? 0) * Math.exp((-d.sigma * d.sigma) / 2);
}

/** Draws one task's solve time in whole ms, after `timeScale`. */
export function sampleSolveMs(
  category: SolveCategory,
  options: ResolvedSimulatorOptions,
  random: Random,
): number {
  const o = options.solveTime;
  let ms: number;
  if (o === null) {
    const spec = options.solveTimes[category];
    ms = lognormal(spec.medianMs, spec.sigma, random);
  } else if (typeof o === 'function') {
    ms = o(category, random);
  } else {
    ms = drawFrom(o, random);
  }
  const scaled = ms * options.timeScale;
  return Number.isFinite(scaled) ? Math.max(0, Math.round(scaled)) : 0;
}

/**
 * The distribution's mean in ms after `timeScale` (the T_occ of Little's law in the benchmarks'
 * bound); undefined for a custom function or a Pareto tail without a finite mean.
 */
export function meanSolveMs(
  category: SolveCategory,
  options: ResolvedSimulatorOptions,
): number | undefined {
  const o = options.solveTime;
  let mean: number | undefined;
  if (o === null) {
    const spec = options.solveTimes[category];
    mean = spec.medianMs * Math.exp((spec.sigma * spec.sigma) / 2);
  } else if (typeof o === 'function') {
    mean = undefined;
  } else if (o.kind === 'fixed') {
    mean = o.ms;
  } else if (o.kind === 'lognormal') {
    mean = medianOf(o) * Math.exp((o.sigma * o.sigma) / 2);
  } else if (o.maxMs !== undefined) {
    mean = cappedParetoMean(o.scaleMs, o.alpha, o.maxMs);
  } else {
    mean = o.alpha > 1 ? (o.alpha * o.scaleMs) / (o.alpha - 1) : undefined;
  }
  return mean === undefined ? undefined : mean * options.timeScale;
}

/** E[min(X, cap)] for a Pareto(scale, alpha) variable. */
function cappedParetoMean(scale: number, alpha: number, cap: number): number {
  if (cap <= scale) return cap;
  const tail = Math.pow(scale / cap, alpha); // P(X > cap)
  const body =
    alpha === 1
      ? scale * Math.log(cap / scale)
      : ((alpha * scale) / (alpha - 1)) * (1 - Math.pow(scale / cap, alpha - 1));
  return body + cap * tail;
}
