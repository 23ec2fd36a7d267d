import { SlidingMax } from '../sliding-max.js';

/** Which limit refused a submit: the account's threads, or the platform's workers for its type. */
export type RefusalCause = 'account' | 'platform';

/**
 * How long another type's acceptance proves that the account had room: long enough to span the
 * refusals of one poll round, short beside how often a plan changes.
 */
export const EVIDENCE_MS = 15_000;

/**
 * An account's threads change when its plan does, rarely and not by much within minutes; one
 * type's workers can all be busy for minutes (a burst), and with no other type to ask, each of its
 * refusals looks like a full account. So a refusal with fewer of ours out than this share of the
 * most the account took lately is not the account: its limit never falls that far that fast.
 */
export const ACCOUNT_FLOOR_SHARE = 0.4;
/** How far back "lately" reaches for ACCOUNT_FLOOR_SHARE. */
export const ACCOUNT_PEAK_WINDOW_MS = 600_000;

/** What the client saw when a submit was refused for capacity. */
export interface RefusalReading {
  type: string;
  /** Our tasks on the service and on their way ahead of this submit. */
  ahead: number;
  /** Whether the submit went under the account's limit ('normal') or above it (a bet or probe). */
  withinLimit: boolean;
  /** Whether the type was already refused by the platform (this was one of its tries), or the
   * submit went above the type's learnt cap. */
  typeBusy: boolean;
  now: number;
}

/** A submit accepted: when, with how many of ours out (itself included), and under the limit or not. */
interface Acceptance {
  at: number;
  count: number;
}

interface TypeRecord {
  /** The latest acceptance under the limit. */
  withinLimit: Acceptance | undefined;
  /** This type's refusals in a row (no acceptance of it since). */
  streak: number;
}

/**
 * Tells the two causes of a capacity refusal apart from what the client has already seen. The
 * service answers both with one code, so the answer is read from what happened around it:
 * - a type the platform already refuses is still being refused;
 * - another type accepted moments ago under the limit with more of ours out proves the account
 *   had room;
 * - a type refused again and again until none of ours is out is not the account: an account's
 *   threads do not fall to nothing, and its first refusals' cuts are undone;
 * - nor do they fall to a fraction of what the account took minutes ago (ACCOUNT_FLOOR_SHARE).
 * Anything else reads as the account's threads, as it always did; PlatformCapacity may still ask
 * another type before it acts on that.
 */
export class RefusalAttribution {
  private readonly types = new Map<string, TypeRecord>();
  /** The most of ours out at an acceptance under the limit, lately. */
  private readonly peak = new SlidingMax(ACCOUNT_PEAK_WINDOW_MS);

  /** A submit of `type` was accepted with `count` of ours out, itself included. */
  acceptedAt(type: string, count: number, withinLimit: boolean, now: number): void {
    const record = this.record(type);
    if (withinLimit) {
      record.withinLimit = { at: now, count };
      this.peak.record(count, now);
    }
    record.streak = 0;
  }

  cause(reading: RefusalReading): RefusalCause {
    const own = this.record(reading.type);
    own.streak++;
    if (reading.typeBusy || (reading.ahead === 0 && own.streak >= 2)) return 'platform';
    if (reading.ahead < Math.floor(ACCOUNT_FLOOR_SHARE * this.peak.max(reading.now)))
      return 'platform';
    if (!reading.withinLimit) return 'account';
    for (const [type, seen] of this.types) {
      const proof = seen.withinLimit;
      if (
        type !== reading.type &&
        proof &&
        reading.now - proof.at <= EVIDENCE_MS &&
        proof.count > reading.ahead
      )
        return 'platform';
    }
    return 'account';
  }

  /** Refusals of `type` in a row, with no acceptance of it since. */
  streakOf(type: string): number {
    return this.types.get(type)?.streak ?? 0;
  }

  /** The account was full with `ahead` of ours out: acceptances under the limit above it are stale. */
  accountFull(ahead: number): void {
    for (const record of this.types.values()) {
      if (record.withinLimit && record.withinLimit.count > ahead) record.withinLimit.count = ahead;
    }
  }

  /** Two types refused in turn: the account is full at `ahead`, whatever it took lately. */
  accountConfirmedFull(ahead: number): void {
    this.peak.clampTo(ahead);
  }

  private record(type: string): TypeRecord {
    let record = this.types.get(type);
    if (!record) {
      record = { withinLimit: undefined, streak: 0 };
      this.types.set(type, record);
    }
    return record;
  }
}
