import type { Solver } from '../solver/solver.js';
import type { Clock } from '../time/clock.js';

/** One CAPTCHA type's capacity refusals by cause, and what the platform did to it. */
export interface TypeCapacity {
  /** Refusals put down to the account's threads. */
  account: number;
  /** Refusals put down to the platform's workers for this type. */
  platform: number;
  /** Time of the busy spells that ended (on the run's clock); a spell still going is apart. */
  busyMs: number;
  /** Busy spells that ended. */
  busySpells: number;
  /** The fewest of this type the platform was seen to take at once, if it held it to a cap. */
  lowestCap: number | undefined;
}

/** Refusals seen in one UTC hour, by cause. */
export interface HourRefusals {
  account: number;
  platform: number;
}

/**
 * Capacity refusals of a run, per CAPTCHA type and cause, and by the UTC hour they were seen in.
 * The platform refuses most at its peak hours, so a run that met many platform refusals in some
 * hours and few in others shows whether an off-peak `--window` would pay.
 */
export class CapacityStats {
  readonly byType = new Map<string, TypeCapacity>();
  /** Index: the UTC hour (0-23) of the run's clock when the refusal was heard. */
  readonly byUtcHour: HourRefusals[] = Array.from({ length: 24 }, () => ({
    account: 0,
    platform: 0,
  }));
  /** Types in a busy spell now, and when it began on the run's clock. */
  private readonly busySince = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** Counts from the Solver's events; returns the function that stops counting. */
  watch(solver: Pick<Solver, 'on'>): () => void {
    const offs = [
      solver.on('rejected', (e) => {
        this.entry(e.type)[e.cause]++;
        const hour = this.byUtcHour[new Date(this.clock.now()).getUTCHours()];
        if (hour) hour[e.cause]++;
      }),
      solver.on('type-busy', (e) => {
        if (e.reason === 'capped' && e.cap !== undefined) {
          const entry = this.entry(e.type);
          entry.lowestCap = Math.min(entry.lowestCap ?? e.cap, e.cap);
        }
        // Each failed try of a busy type says so again: the spell began at the first.
        if (e.reason === 'busy' && !this.busySince.has(e.type)) {
          this.busySince.set(e.type, this.clock.now() - e.busyForMs);
        }
      }),
      solver.on('type-open', (e) => {
        const entry = this.entry(e.type);
        entry.busyMs += e.busyForMs;
        entry.busySpells++;
        this.busySince.delete(e.type);
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Time the type spent busy, a spell still going counted up to now. */
  busyMs(type: string): number {
    const since = this.busySince.get(type);
    const ongoing = since === undefined ? 0 : this.clock.now() - since;
    return (this.byType.get(type)?.busyMs ?? 0) + ongoing;
  }

  /** Busy spells of the type, a spell still going included. */
  busySpells(type: string): number {
    return (this.byType.get(type)?.busySpells ?? 0) + (this.busySince.has(type) ? 1 : 0);
  }

  get refusals(): number {
    let total = 0;
    for (const entry of this.byType.values()) total += entry.account + entry.platform;
    return total;
  }

  private entry(type: string): TypeCapacity {
    let entry = this.byType.get(type);
    if (!entry) {
      entry = { account: 0, platform: 0, busyMs: 0, busySpells: 0, lowestCap: undefined };
      this.byType.set(type, entry);
    }
    return entry;
  }
}
