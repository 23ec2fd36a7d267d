import type { Random } from '../time/random.js';
import { HOUR_MS, hourFactorAt, nextHourAt } from './day-curve.js';
import type { PlatformBursts, PlatformDayCurve } from './options.js';

/**
 * The lowest day-curve factor the arrival rate divides by: a factor of 0 already means no
 * workers, and an infinite rate would never let time move on.
 */
export const MIN_BURST_FACTOR = 0.05;

interface Span {
  from: number;
  to: number;
}

/**
 * One type's bursts, drawn lazily as time advances. Bursts arrive as a Poisson process whose
 * rate per hour is `perHour / max(hourFactor(t), 0.05)`: `perHour` at the curve's factor 1, and
 * more often as the curve leaves fewer workers free (2.5× at peak's 0.4), so refusals cluster in
 * busy hours. The rate is constant within each UTC hour, so arrivals are drawn exactly, hour by
 * hour. Each burst is long with probability `longShare` (mean `longMeanMs`), else short (mean
 * `meanMs`), both exponential. Overlapping bursts merge. The random stream is this type's own,
 * and draws come in a fixed order (gap, long-or-short, length), so a seed gives the same bursts
 * whatever the clients do.
 */
export class BurstSchedule {
  /** Disjoint, in time order: the bursts drawn so far. */
  private readonly spans: Span[] = [];
  private nextArrival: number;
  private readonly meanMs: number;
  private readonly longShare: number;
  private readonly longMeanMs: number;

  constructor(
    private readonly curve: PlatformDayCurve,
    private readonly bursts: PlatformBursts,
    private readonly random: Random,
  ) {
    this.meanMs = bursts.meanMs ?? 8000;
    this.longShare = bursts.longShare ?? 0.1;
    this.longMeanMs = bursts.longMeanMs ?? 180_000;
    this.nextArrival = this.arrivalAfter(0);
  }

  /** Whether a burst is on at `tMs` (simulator time; nothing before 0). */
  isOn(tMs: number): boolean {
    if (tMs < 0) return false;
    this.drawUntil(tMs);
    const spans = this.spans;
    // The last span starting at or before tMs is the only one that can cover it.
    let lo = 0;
    let hi = spans.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((spans[mid]?.from ?? Infinity) <= tMs) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const span = spans[found];
    return span !== undefined && tMs < span.to;
  }

  /** Bursts drawn so far that started by `tMs` (for tests and diagnostics). */
  spansUntil(tMs: number): ReadonlyArray<Readonly<Span>> {
    this.drawUntil(tMs);
    return this.spans.filter((s) => s.from <= tMs);
  }

  private drawUntil(tMs: number): void {
    while (this.nextArrival <= tMs) {
      const from = this.nextArrival;
      const long = this.random() < this.longShare;
      const to = from + this.exponential(long ? this.longMeanMs : this.meanMs);
      const last = this.spans[this.spans.length - 1];
      if (last && from <= last.to) last.to = Math.max(last.to, to);
      else this.spans.push({ from, to });
      this.nextArrival = this.arrivalAfter(from);
    }
  }

  /** The next arrival after `t`: one exponential draw spent across the hours' rates. */
  private arrivalAfter(t: number): number {
    if (this.bursts.perHour <= 0) return Infinity;
    let need = this.exponential(1);
    let at = t;
    for (;;) {
      const factor = Math.max(hourFactorAt(this.curve, at), MIN_BURST_FACTOR);
      const ratePerMs = this.bursts.perHour / factor / HOUR_MS;
      const end = nextHourAt(this.curve, at);
      const room = (end - at) * ratePerMs;
      if (need <= room) return at + need / ratePerMs;
      need -= room;
      at = end;
    }
  }

  private exponential(mean: number): number {
    return -Math.log(1 - this.random()) * mean;
  }
}
