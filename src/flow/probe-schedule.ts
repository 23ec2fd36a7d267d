import type { Clock } from '../time/clock.js';

/**
 * When to try one submit above the learnt limit. A failed probe costs one rejected submit, so
 * probes wait for enough completions at the limit to keep that cost small per solved task, and
 * the wait doubles after each climb that gained nothing; a time floor still finds a raised plan
 * once that wait is long. A successful probe is followed at once by the next, one at a time, so
 * a raised plan is climbed in a round trip per thread.
 */
export class ProbeSchedule {
  private inFlight = false;
  private completions = 0;
  private every: number;
  private backoff: number;
  private climbFrom: number | undefined;
  private lastAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly options: {
      probeAfterCompletions: number;
      maxProbeBackoffCompletions: number;
      maxProbeIntervalMs: number;
      /**
       * Whether an accepted probe is followed at once by the next (default). Not where an
       * acceptance may be luck: a platform cap accepts one above it whenever one of ours has
       * finished unseen, and climbing on that only buys refusals to bring the cap down again.
       */
      climbAtOnce?: boolean;
    },
  ) {
    this.every = this.backoff = options.probeAfterCompletions;
    this.lastAt = clock.now();
  }

  /** Whether a probe may go now (the caller checks that the limit is what holds work back). */
  due(): boolean {
    if (this.inFlight) return false;
    if (this.completions >= this.every) return true;
    const overdue = this.clock.now() - this.lastAt >= this.options.maxProbeIntervalMs;
    return overdue && this.completions >= this.options.probeAfterCompletions;
  }

  /** A task finished while the limit held work back. */
  completedAtLimit(): void {
    this.completions++;
  }

  sent(): void {
    this.inFlight = true;
    this.lastAt = this.clock.now();
  }

  /** The probe was accepted at `limit` (before it grows): climb on. */
  accepted(limit: number): void {
    this.inFlight = false;
    this.every = this.options.climbAtOnce === false ? this.options.probeAfterCompletions : 0;
    this.completions = 0;
    this.climbFrom ??= limit;
  }

  /** The probe was refused; `limit` is the limit learnt from that refusal. */
  rejected(limit: number): void {
    this.inFlight = false;
    const gained = this.climbFrom !== undefined && limit > this.climbFrom;
    this.backoff = gained
      ? this.options.probeAfterCompletions
      : Math.min(this.backoff * 2, this.options.maxProbeBackoffCompletions);
    this.every = this.backoff;
    this.completions = 0;
    this.climbFrom = undefined;
  }

  /** The probe's task ended before its submit was answered. */
  abandoned(): void {
    this.inFlight = false;
  }
}
