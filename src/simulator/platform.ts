import { seededRandom } from '../time/random.js';
import { BurstSchedule } from './burst-schedule.js';
import { hourFactorAt, utcHourAt, utcHourOfClock } from './day-curve.js';
import type { PlatformDayCurve, PlatformType, ResolvedSimulatorOptions } from './options.js';
import { PLATFORM_TYPES } from './platform-type.js';
import type { PlatformStats } from './stats.js';

/** A 32-bit seed for `type`'s burst stream, mixed from the simulator's seed (murmur3's finaliser). */
function burstSeed(seed: number, type: PlatformType): number {
  let h = ((seed >>> 0) ^ Math.imul(PLATFORM_TYPES.indexOf(type) + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16) ^ 0x706c6174) >>> 0;
}

/**
 * The platform's workers per CAPTCHA type, shared by every account of one simulator: how many of
 * our tasks of a type it takes at a time, and how many it holds now. Times given to it are the
 * simulator's clock; windows are relative to `origin` (construction), like throttle windows.
 * Bursts draw from streams of their own, seeded from `seed`, never from the service's random, so
 * turning the platform on leaves solve times and ids as they were. The day curve reads the UTC
 * hour of the simulator's clock (real or virtual) unless the options give a start hour.
 */
export class Platform {
  /** Tasks holding a slot now, by type (all accounts). */
  private readonly held = new Map<PlatformType, number>();
  private readonly bursts = new Map<PlatformType, BurstSchedule>();
  /** False when no option limits anything: the check is skipped. */
  readonly limited: boolean;
  readonly refusalCode: ResolvedSimulatorOptions['capacityCode'];
  /** The day curve with its start hour filled in from the clock; null when there is none. */
  readonly dayCurve: Readonly<PlatformDayCurve> | null;

  constructor(
    private readonly options: ResolvedSimulatorOptions,
    private readonly origin: number,
  ) {
    const p = options.platform;
    this.refusalCode = p.refusalCode ?? options.capacityCode;
    this.dayCurve = p.dayCurve
      ? { ...p.dayCurve, startHourUtc: p.dayCurve.startHourUtc ?? utcHourOfClock(origin) }
      : null;
    this.limited =
      Object.keys(p.caps ?? {}).length > 0 ||
      (p.outages ?? []).length > 0 ||
      (p.dayCurve != null && Object.keys(p.dayCurve.workers).length > 0);
  }

  /**
   * Most of our tasks of `type` the platform takes at once at `atMs` (simulator time since
   * construction): the least of the cap, 0 in an outage, and the day curve's free workers
   * (less a burst's share). Infinity when nothing limits the type.
   */
  capacity(type: PlatformType, atMs: number): number {
    const p = this.options.platform;
    let capacity = p.caps?.[type] ?? Infinity;
    for (const o of p.outages ?? []) {
      if (o.type === type && atMs >= o.fromMs && atMs < o.toMs) return 0;
    }
    const curve = this.dayCurve;
    const workers = curve?.workers[type];
    if (curve && workers !== undefined) {
      const burst = this.burstsOf(type)?.isOn(atMs) === true;
      const share = burst ? 1 - (curve.bursts?.depth ?? 1) : 1;
      capacity = Math.min(capacity, Math.floor(workers * hourFactorAt(curve, atMs) * share));
    }
    return capacity;
  }

  /** The day curve's UTC hour (fractional) at `atMs` of simulator time; null without a curve. */
  utcHour(atMs: number): number | null {
    return this.dayCurve ? utcHourAt(this.dayCurve, atMs) : null;
  }

  /** Whether a new task of `type` at clock time `now` finds every worker for the type busy. */
  isFull(type: PlatformType, now: number): boolean {
    if (!this.limited) return false;
    return this.inUse(type) >= this.capacity(type, now - this.origin);
  }

  /** Tasks of `type` holding a slot now, over all accounts. */
  inUse(type: PlatformType): number {
    return this.held.get(type) ?? 0;
  }

  /** A task of `type` took a slot (called with the account's own acquire). */
  acquire(type: PlatformType): void {
    this.held.set(type, this.inUse(type) + 1);
  }

  /** A task of `type` gave its slot back (called with the account's own release). */
  release(type: PlatformType): void {
    this.held.set(type, this.inUse(type) - 1);
  }

  /**
   * The platform now (`atMs` since construction): per type that is limited or in use, our tasks
   * holding its workers (all accounts) and how many it takes at this moment (null: unlimited).
   */
  snapshot(atMs: number): PlatformStats {
    const byType: PlatformStats['byType'] = {};
    for (const type of PLATFORM_TYPES) {
      const capacity = this.capacity(type, atMs);
      if (capacity === Infinity && this.inUse(type) === 0) continue;
      byType[type] = {
        inUse: this.inUse(type),
        capacity: capacity === Infinity ? null : capacity,
      };
    }
    return { utcHour: this.utcHour(atMs), byType };
  }

  private burstsOf(type: PlatformType): BurstSchedule | undefined {
    const curve = this.dayCurve;
    if (!curve?.bursts) return undefined;
    let schedule = this.bursts.get(type);
    if (!schedule) {
      const random = seededRandom(burstSeed(this.options.seed, type));
      schedule = new BurstSchedule(curve, curve.bursts, random);
      this.bursts.set(type, schedule);
    }
    return schedule;
  }
}
