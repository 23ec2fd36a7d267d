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
  /** Rate right after the cut: `beta * wMax`, or the proven rate it holds. */
  readonly start: number;
  /** Rate held from K until probing starts. */
  readonly plateau: number;
  /** Time to climb from start to plateau, ms; 0 when the curve starts on its plateau. */
  readonly kMs: number;
  /** Per ms^3, chosen so that the climb takes exactly kMs: `K = cbrt((plateau - start) / C)`. */
  readonly c: number;
  /**
   * Per ms^3 above the plateau: a full CUBIC climb's constant (beta * wMax back to the plateau in
   * the recovery window), so a probe rises alike whether or not the curve started on its plateau.
   */
  readonly probeC: number;
}

/**
 * The recovery after a 429 drawn at `wMax`. Without `hold`, CUBIC's own: start at `beta * wMax`,
 * climb over `kMs` to a plateau `plateauMargin` below wMax. With `hold` (a rate the server is known
 * to have sustained, see RateEvidence), start there and hold it: the rate that drew the 429 was
 * measured after it had been over the limit long enough to empty the server's bucket, so it
 * overstates the limit, and a plateau just under it would draw the next 429 a window later.
 */
export function cubicRecovery(
  wMax: number,
  beta: number,
  plateauMargin: number,
  kMs: number,
  hold?: number,
): CubicRecovery {
  const top = (1 - plateauMargin) * wMax;
  const probeC = (top - beta * wMax) / kMs ** 3;
  if (hold !== undefined && hold >= beta * wMax) {
    const level = Math.min(hold, top);
    return { wMax, start: level, plateau: level, kMs: 0, c: 0, probeC };
  }
  const start = beta * wMax;
  return { wMax, start, plateau: top, kMs, c: (top - start) / kMs ** 3, probeC };
}

/**
 * The rate after `limitedMs` of rate-limited time since the cut. `probeStartMs` (>= kMs) is when
 * probing above the plateau began; undefined while still holding the plateau. With `rampMs` the
 * probe is a CUBIC climb of its own from the plateau back to wMax, reaching it after rampMs, then
 * convex above: it leaves the plateau at once and flattens near wMax rather than lingering near
 * the plateau, so the span it proves is spent mostly near the limit (its mean is three quarters of
 * the way up, where a straight line's is half). Pure.
 */
export function cubicRate(
  curve: CubicRecovery,
  limitedMs: number,
  probeStartMs: number | undefined,
  rampMs?: number,
): number {
  if (limitedMs < curve.kMs) return curve.plateau + curve.c * (limitedMs - curve.kMs) ** 3;
  if (probeStartMs === undefined || limitedMs <= probeStartMs) return curve.plateau;
  const t = limitedMs - probeStartMs;
  if (rampMs !== undefined) {
    const gap = Math.max(0, curve.wMax - curve.plateau);
    return curve.wMax + gap * ((t - rampMs) / rampMs) ** 3;
  }
  return curve.plateau + curve.probeC * t ** 3;
}
