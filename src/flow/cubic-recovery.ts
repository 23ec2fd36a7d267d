/**
 * CUBIC growth (RFC 9438) applied to a request rate instead of a congestion window, as in the AWS
 * SDK's adaptive retry but over the server's window rather than a second:
 * `rate(t) = C (t - K)^3 + plateau`, with `t` the rate-limited time since the cut. Concave up to K
 * (fast at first, flattening as it nears the plateau, where 429s began), then flat, then convex
 * (a slow probe above, accelerating if the limit has gone up).
 */
export interface CubicRecovery {
  /** The send rate that drew the 429, per second. */
  readonly wMax: number;
  /** Rate right after the cut: `beta * wMax`. */
  readonly start: number;
  /** Rate held from K until probing starts: a margin below wMax. */
  readonly plateau: number;
  /** Time to climb from start to plateau, ms. */
  readonly kMs: number;
  /** Per ms^3, chosen so that the climb takes exactly kMs: `K = cbrt((plateau - start) / C)`. */
  readonly c: number;
}

export function cubicRecovery(
  wMax: number,
  beta: number,
  plateauMargin: number,
  kMs: number,
  /** Start lower than `beta * wMax` (a cut during an outage), still climbing back to wMax. */
  startBelow?: number,
): CubicRecovery {
  const start = Math.min(beta * wMax, startBelow ?? Number.POSITIVE_INFINITY);
  const plateau = (1 - plateauMargin) * wMax;
  return { wMax, start, plateau, kMs, c: (plateau - start) / kMs ** 3 };
}

/**
 * The rate after `limitedMs` of rate-limited time since the cut. `probeStartMs` (>= kMs) is when
 * probing above the plateau began; undefined while still holding the plateau. Pure.
 */
export function cubicRate(
  curve: CubicRecovery,
  limitedMs: number,
  probeStartMs: number | undefined,
): number {
  if (limitedMs < curve.kMs) return curve.plateau + curve.c * (limitedMs - curve.kMs) ** 3;
  if (probeStartMs === undefined || limitedMs <= probeStartMs) return curve.plateau;
  return curve.plateau + curve.c * (limitedMs - probeStartMs) ** 3;
}
