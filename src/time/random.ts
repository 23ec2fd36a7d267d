/** A source of uniform numbers in [0, 1). Injected so that jitter is reproducible in tests. */
export type Random = () => number;

/** The platform's generator. The only place the library reads Math.random. */
export const systemRandom: Random = () => Math.random();

/**
 * A small, fast seeded generator (mulberry32). Deterministic simulations and benchmarks use it so
 * a seed reproduces a run exactly.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
