import type { PlatformType } from './options.js';
import type { TypeStats } from './stats.js';

interface Entry {
  accepted: number;
  refusedAccount: number;
  refusedPlatform: number;
  inUse: number;
  maxInUse: number;
  /** Sum of (acquire time - origin) over held slots: slotMs stays exact without a timer. */
  heldSinceSum: number;
  releasedMs: number;
}

/**
 * One account's counters per CAPTCHA type: submits accepted and refused by cause, and slots
 * held, kept the way the account keeps its own slots (relative to `origin`) so that a type's
 * in-use count drops exactly when the account's does.
 */
export class TypeLedger {
  private readonly entries = new Map<PlatformType, Entry>();

  constructor(private readonly origin: number) {}

  /** The type saw a submit (its counters appear in the stats from now on). */
  entry(type: PlatformType): Entry {
    let e = this.entries.get(type);
    if (!e) {
      e = {
        accepted: 0,
        refusedAccount: 0,
        refusedPlatform: 0,
        inUse: 0,
        maxInUse: 0,
        heldSinceSum: 0,
        releasedMs: 0,
      };
      this.entries.set(type, e);
    }
    return e;
  }

  /** An accepted task of `type` took its slot at `now`. */
  acquire(type: PlatformType, now: number): void {
    const e = this.entry(type);
    e.accepted++;
    e.inUse++;
    e.heldSinceSum += now - this.origin;
    if (e.inUse > e.maxInUse) e.maxInUse = e.inUse;
  }

  release(type: PlatformType, heldSince: number, at: number): void {
    const e = this.entry(type);
    e.inUse--;
    e.heldSinceSum -= heldSince - this.origin;
    e.releasedMs += at - heldSince;
  }

  snapshot(now: number): Record<string, TypeStats> {
    const out: Record<string, TypeStats> = {};
    for (const [type, e] of this.entries) {
      out[type] = {
        accepted: e.accepted,
        refusedAccount: e.refusedAccount,
        refusedPlatform: e.refusedPlatform,
        inUse: e.inUse,
        maxInUse: e.maxInUse,
        slotMs: e.releasedMs + e.inUse * (now - this.origin) - e.heldSinceSum,
      };
    }
    return out;
  }
}
