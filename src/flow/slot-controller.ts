import { AbortError } from '../errors/abort-error.js';
import type { Clock } from '../time/clock.js';
import { resolveSlotControllerOptions, type ResolvedSlotControllerOptions, type SlotControllerOptions } from './slot-options.js';
import { WaiterQueue, type Waiter } from './waiter-queue.js';

export type LimitChangeReason = 'seed' | 'slow-start' | 'rejected' | 'probe-accepted' | 'probe-rejected' | 'threadsinfo';

export interface LimitChange {
  limit: number;
  previous: number;
  reason: LimitChangeReason;
  inFlight: number;
}

/** Submits allowed on their way at once while the limit is still being discovered. */
function slowStartBurst(limit: number): number {
  return Math.min(32, Math.max(4, Math.ceil(limit / 4)));
}

/** What a permit holder reports back: the submit's fate, then the end of the task. */
export interface SlotPermit {
  /** in.php accepted the task: it now holds a thread on the service. */
  accepted(): void;
  /** in.php refused for capacity: the permit is given back and the limit learns from it. */
  rejected(): void;
  /** The task is over (answered, failed or abandoned): its thread is free for the next one. */
  release(): void;
  /** True when this submit probes one slot above the current limit. */
  readonly probe: boolean;
}

/**
 * Decides how many tasks may hold a thread at once, learning the account's limit from the
 * service's own answers. A capacity rejection sets the limit to the number of our tasks on the
 * service at that moment: the account is full exactly then, so no fraction is given away (unlike
 * AIMD's x0.9). Until the first rejection the limit doubles per round of accepted submits (slow
 * start). After it, one submit above the limit probes rarely, and only while demand exceeds the
 * limit; a successful probe re-enters slow start, so a raised plan is found in a few rounds.
 */
export class SlotController {
  private readonly options: ResolvedSlotControllerOptions;
  private currentLimit: number;
  private onService = 0;
  private submitting = 0;
  private phase: 'slow-start' | 'steady' = 'slow-start';
  private probeInFlight = false;
  private completionsSinceProbe = 0;
  private probeEvery: number;
  private lastProbeAt: number;
  private readonly waiters = new WaiterQueue<SlotPermit>();

  constructor(
    options: SlotControllerOptions,
    private readonly clock: Clock,
    private readonly onChange?: (change: LimitChange) => void,
  ) {
    this.options = resolveSlotControllerOptions(options);
    const ceiling = this.options.maxConcurrency;
    this.currentLimit = ceiling ?? this.options.initialLimit;
    this.probeEvery = this.options.probeAfterCompletions;
    this.lastProbeAt = clock.now();
  }

  get limit(): number {
    return this.currentLimit;
  }

  /** Our tasks on the service plus submits on their way. */
  get inFlight(): number {
    return this.onService + this.submitting;
  }

  get waiting(): number {
    return this.waiters.size;
  }

  get discovering(): boolean {
    return this.phase === 'slow-start';
  }

  /**
   * Seeds the limit from what the service says about the account (`threadsinfo`): the free threads
   * plus those we already hold. Ends slow start: the number is known, not guessed.
   */
  seed(limit: number, reason: LimitChangeReason = 'threadsinfo'): void {
    this.phase = 'steady';
    this.setLimit(Math.max(1, Math.floor(limit)), reason);
  }

  /**
   * Waits for a permit. `front` puts the caller ahead of the queue: a task that was just refused
   * for capacity was waiting longest and must not lose its turn.
   */
  acquire(signal?: AbortSignal, front = false): Promise<SlotPermit> {
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    if (this.waiters.size === 0 && this.hasRoom()) return Promise.resolve(this.grant());
    return this.waiters.enqueue(signal, front);
  }

  private hasRoom(): boolean {
    // While the limit is unknown, every submit on its way may come back rejected together with the
    // first one that finds the account full; a cap on them bounds that overshoot (2captcha-style
    // services ban an account that collects 120 such rejections in a minute).
    if (this.phase === 'slow-start' && this.submitting >= slowStartBurst(this.currentLimit)) return false;
    if (this.inFlight < this.currentLimit) return true;
    return this.probeAllowed();
  }

  private probeAllowed(): boolean {
    if (this.phase !== 'steady' || this.probeInFlight) return false;
    if (this.options.maxConcurrency !== undefined && this.currentLimit >= this.options.maxConcurrency) return false;
    // Probe only where the limit is what holds us back: at the limit, with work waiting.
    if (this.inFlight < this.currentLimit || this.waiters.size === 0) return false;
    // A failed probe costs one rejection, so probes wait for enough completions to keep that cost
    // small per solved task; the time floor finds a raised plan when backoff has grown long.
    const done = this.completionsSinceProbe;
    if (done >= this.probeEvery) return true;
    const overdue = this.clock.now() - this.lastProbeAt >= this.options.maxProbeIntervalMs;
    return overdue && done >= this.options.probeAfterCompletions;
  }

  private grant(): SlotPermit {
    const probe = this.inFlight >= this.currentLimit;
    if (probe) {
      this.probeInFlight = true;
      this.lastProbeAt = this.clock.now();
    }
    this.submitting++;
    let state: 'submitting' | 'on-service' | 'done' = 'submitting';
    const permit: SlotPermit = {
      probe,
      accepted: () => {
        if (state !== 'submitting') return;
        state = 'on-service';
        this.submitting--;
        this.onService++;
        this.onAccepted(probe);
      },
      rejected: () => {
        if (state !== 'submitting') return;
        state = 'done';
        this.submitting--;
        this.onRejected(probe);
      },
      release: () => {
        if (state === 'done') return;
        if (state === 'submitting') this.submitting--;
        else this.onService--;
        const probing = probe && state === 'submitting';
        state = 'done';
        if (probing) this.probeInFlight = false;
        this.onReleased();
      },
    };
    return permit;
  }

  private onAccepted(probe: boolean): void {
    if (probe) {
      this.probeInFlight = false;
      this.phase = 'slow-start';
      this.probeEvery = this.options.probeAfterCompletions;
      this.completionsSinceProbe = 0;
      this.setLimit(this.currentLimit + 1, 'probe-accepted');
    } else if (this.phase === 'slow-start' && this.waiters.size > 0 && this.inFlight >= this.currentLimit - 1) {
      // Grow only when the limit is what holds work back (app-limited runs must not inflate it).
      this.setLimit(this.currentLimit + 1, 'slow-start');
    }
    this.pump();
  }

  private onRejected(probe: boolean): void {
    if (probe) {
      this.probeInFlight = false;
      this.probeEvery = Math.min(this.probeEvery * 2, this.options.maxProbeBackoffCompletions);
      this.completionsSinceProbe = 0;
    }
    this.phase = 'steady';
    // The account was full with exactly our tasks on it (others' tasks, if any, count too).
    this.setLimit(Math.max(1, this.onService), probe ? 'probe-rejected' : 'rejected');
    this.pump();
  }

  private onReleased(): void {
    if (this.inFlight + 1 >= this.currentLimit && this.waiters.size > 0) this.completionsSinceProbe++;
    this.pump();
  }

  private setLimit(value: number, reason: LimitChangeReason): void {
    const capped = Math.min(value, this.options.maxConcurrency ?? Number.POSITIVE_INFINITY);
    if (capped === this.currentLimit) return;
    const previous = this.currentLimit;
    this.currentLimit = capped;
    this.onChange?.({ limit: capped, previous, reason, inFlight: this.inFlight });
  }

  /** Hands permits to waiters while there is room. */
  private pump(): void {
    while (this.waiters.size > 0 && this.hasRoom()) {
      const waiter: Waiter<SlotPermit> | undefined = this.waiters.shift();
      if (!waiter) return;
      waiter.resolve(this.grant());
    }
  }

  /** Re-checks time-based probing; the owner calls it on its ticks. */
  tick(): void {
    this.pump();
  }

  /** Rejects every waiter. */
  close(reason?: unknown): void {
    this.waiters.rejectAll(new AbortError(reason));
  }
}
