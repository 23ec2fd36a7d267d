import { AbortError } from '../errors/abort-error.js';
import type { Clock } from '../time/clock.js';
import { ProbeSchedule } from './probe-schedule.js';
import { ReleaseModeDetector, type DoneEstimate, type SlotRelease } from './release-mode.js';
import {
  resolveSlotControllerOptions,
  type ResolvedSlotControllerOptions,
  type SlotControllerOptions,
} from './slot-options.js';
import { createPermit, type PermitKind, type SlotPermit } from './slot-permit.js';
import { Speculation } from './speculation.js';
import { WaiterQueue } from './waiter-queue.js';

export type { PermitKind, SlotPermit } from './slot-permit.js';

export type LimitChangeReason =
  | 'seed'
  | 'slow-start'
  | 'rejected'
  | 'probe-accepted'
  | 'probe-rejected'
  | 'threadsinfo'
  | 'restored';

export interface LimitChange {
  limit: number;
  previous: number;
  reason: LimitChangeReason;
  inFlight: number;
}

/**
 * What a refusal's reading of the finished count may be off by, as a variance: the limit itself
 * may be a thread off.
 */
const MEASURE_NOISE_VARIANCE = 1;

const NO_DONE: DoneEstimate = Object.freeze({ mean: 0, variance: 0 });

/** Submits allowed on their way at once while the limit is still being discovered. */
function slowStartBurst(limit: number): number {
  return Math.min(32, Math.max(4, Math.ceil(limit / 4)));
}

/**
 * Decides how many tasks may hold a thread at once, learning the account's limit from the
 * service's own answers. A capacity rejection sets the limit to the number of our tasks on the
 * service at that moment (counting submits sent before the rejected one): the account was full
 * exactly then, so no fraction is given away (unlike AIMD's x0.9). Until the first rejection the
 * limit grows by one per accepted submit (slow start). Afterwards one submit above the limit
 * probes, rarely and only while work waits; a successful probe climbs on, one at a time.
 *
 * Where the service frees a thread at the solve rather than at collection, tasks that have
 * probably finished but were not yet polled hold no thread: a few "speculative" submits fill
 * those threads instead of leaving them idle until the next poll. Their fate also tells which
 * release semantics the service has.
 */
export class SlotController {
  private readonly options: ResolvedSlotControllerOptions;
  private currentLimit: number;
  private onService = 0;
  /** Submits on their way, by the order they were let through. */
  private readonly inTransit = new Map<number, PermitKind>();
  private nextSeq = 0;
  private phase: 'slow-start' | 'steady' = 'slow-start';
  private readonly probes: ProbeSchedule;
  private readonly speculation = new Speculation();
  /** Our tasks out there (submits included) when the account was last found full. */
  private rawFull: number | undefined;
  /** Speculative submits sent before this sequence number were made on an estimate already refuted. */
  private refutedBefore = 0;
  /** Speculative submits whose fate tells the release semantics. */
  private readonly telling = new Set<number>();
  /** Speculative submits on their way. */
  private betsInTransit = 0;
  /** Whether the finished-task estimate has been live (speculation then finds any extra threads). */
  private speculating = false;
  private readonly waiters = new WaiterQueue<SlotPermit>();
  private readonly release: ReleaseModeDetector;
  private doneSource: () => DoneEstimate = () => NO_DONE;
  private doneMeasured: ((count: number, noiseVariance: number) => void) | undefined;
  private readonly roomListeners = new Set<() => void>();
  private reportedThreads: number | undefined;
  private ceilingListener: (() => void) | undefined;

  constructor(
    options: SlotControllerOptions,
    clock: Clock,
    private readonly onChange?: (change: LimitChange) => void,
  ) {
    this.options = resolveSlotControllerOptions(options);
    this.release = new ReleaseModeDetector(this.options.slotRelease);
    this.currentLimit = this.options.maxConcurrency ?? this.options.initialLimit;
    this.probes = new ProbeSchedule(clock, this.options);
  }

  get limit(): number {
    return this.currentLimit;
  }

  /** Our tasks on the service plus submits on their way. */
  get inFlight(): number {
    return this.onService + this.inTransit.size;
  }

  /** Our tasks the service accepted and still holds: each frees a thread when it ends. */
  get onServiceCount(): number {
    return this.onService;
  }

  get waiting(): number {
    return this.waiters.size;
  }

  /** The release semantics in use: given, or learnt from speculative submits. */
  get releaseMode(): SlotRelease {
    return this.release.mode;
  }

  /** Seeds the limit from what the service says (`threadsinfo`); ends slow start. */
  seed(limit: number, reason: LimitChangeReason = 'threadsinfo'): void {
    this.phase = 'steady';
    this.setLimit(Math.max(1, Math.floor(limit)), reason);
  }

  /**
   * The account's threads as the service reports them (`threadsinfo`): the limit does not climb
   * past them. Acceptances past the finished-task estimate are climb evidence only where nothing
   * says how many threads there are; with thousands of tasks out, an estimate that lags by a few
   * (a busy process collecting late) would otherwise grow the limit, and the tasks out with it,
   * without end. `onCeiling` hears each climb the report stopped, so it can be asked again (a
   * raised plan).
   */
  reportThreads(threads: number, onCeiling?: () => void): void {
    this.reportedThreads = Math.max(1, Math.floor(threads));
    this.ceilingListener = onCeiling;
  }

  /**
   * Where to read how many tasks have probably finished but were not yet collected, and where to
   * tell what a refused submit measured of it.
   */
  estimateDoneWith(
    source: () => DoneEstimate,
    measured?: (count: number, noiseVariance: number) => void,
  ): void {
    this.doneSource = source;
    this.doneMeasured = measured;
  }

  /** The estimate of finished tasks moved: there may be room now. */
  doneEstimateChanged(): void {
    this.pump();
  }

  /** Calls `listener` whenever a permit is free and nobody waits, so callers can feed more work. */
  onRoom(listener: () => void): () => void {
    this.roomListeners.add(listener);
    return () => this.roomListeners.delete(listener);
  }

  /** Waits for a permit; `front` keeps the turn of a task just refused for capacity. */
  acquire(signal?: AbortSignal, front = false): Promise<SlotPermit> {
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    if (this.waiters.size === 0) {
      const kind = this.admissible();
      if (kind) return Promise.resolve(this.grant(kind));
    }
    return this.waiters.enqueue(signal, front);
  }

  /**
   * Takes over a task already on the service (submitted by an earlier run): it holds a thread
   * whatever the limit says, so it is counted at once, without waiting.
   */
  adopt(): SlotPermit {
    const seq = this.nextSeq++;
    this.inTransit.set(seq, 'normal');
    const permit = createPermit('normal', seq, {
      accepted: (_k, s) => {
        this.inTransit.delete(s);
        this.onService++;
      },
      rejected: (_k, s) => this.inTransit.delete(s),
      released: (k, s, wasOnService) => this.onReleased(k, s, wasOnService),
    });
    permit.accepted();
    return permit;
  }

  /**
   * Our tasks on the service and submits on their way ahead of `permit`'s: what the account held
   * when its submit was answered, itself not counted.
   */
  aheadOf(permit: SlotPermit): number {
    return this.onService + this.sentBefore(permit.seq);
  }

  /**
   * Puts back a limit that refusals lowered before they turned out to be the platform's (a type
   * with no free workers), not the account's: the account held that many a moment ago.
   */
  restore(limit: number): void {
    if (limit > this.currentLimit) this.setLimit(limit, 'restored');
  }

  close(reason?: unknown): void {
    this.waiters.rejectAll(new AbortError(reason));
  }

  private admissible(): PermitKind | undefined {
    // The user's ceiling counts every task of ours out there, speculative ones included.
    if (this.options.maxConcurrency !== undefined && this.inFlight >= this.options.maxConcurrency)
      return undefined;
    // Every submit on its way while the limit is unknown may come back rejected with the first one
    // that finds the account full; a cap bounds that overshoot (2captcha-style services ban an
    // account that collects 120 such rejections in a minute).
    if (this.phase === 'slow-start' && this.inTransit.size >= slowStartBurst(this.currentLimit))
      return undefined;
    if (this.inFlight < this.currentLimit) return 'normal';
    if (this.speculativeRoom() > 0) return 'speculative';
    return this.probeAllowed() ? 'probe' : undefined;
  }

  private speculativeRoom(): number {
    if (this.release.mode !== 'solve') return 0;
    const done = this.doneSource();
    // Once speculation runs, its margin at the floor climbs the limit: probes would only add refusals.
    this.speculating ||= done.mean >= 1;
    // A bet goes out only a few at a time, so one wrong estimate costs a few refusals, not dozens.
    if (this.betsInTransit >= slowStartBurst(this.currentLimit) / 4) return 0;
    return this.speculation.allowed(done, this.inFlight - this.currentLimit) ? 1 : 0;
  }

  private probeAllowed(): boolean {
    if (this.phase !== 'steady' || this.waiters.size === 0) return false;
    if (
      this.options.maxConcurrency !== undefined &&
      this.currentLimit >= this.options.maxConcurrency
    )
      return false;
    // Where finished tasks free their threads, a probe accepted while some have probably finished
    // proves nothing about the limit; probe only when none is likely done (right after a poll).
    const done = this.doneSource();
    // Before enough solves are seen to read that, a probe would climb on every thread a finished
    // task freed (at 500 threads: 333 probes in 25 s, then as many refusals at once).
    if (
      this.release.mode === 'solve' &&
      (this.speculating || done.mean >= 0.5 || (done.unknown ?? 0) > 0)
    )
      return false;
    return this.probes.due();
  }

  private grant(kind: PermitKind): SlotPermit {
    if (kind === 'probe') this.probes.sent();
    if (kind === 'speculative') this.betsInTransit++;
    const seq = this.nextSeq++;
    this.inTransit.set(seq, kind);
    // Only a speculative submit past the raw count that last filled the account tells the release
    // semantics apart: below it, an underestimated limit alone could explain its acceptance.
    if (kind !== 'normal' && this.rawFull !== undefined && this.inFlight > this.rawFull)
      this.telling.add(seq);
    return createPermit(kind, seq, {
      accepted: (k, s) => this.onAccepted(k, s),
      rejected: (k, s) => this.onRejected(k, s),
      released: (k, s, wasOnService) => this.onReleased(k, s, wasOnService),
    });
  }

  private onAccepted(kind: PermitKind, seq: number): void {
    this.inTransit.delete(seq);
    this.onService++;
    // Ours on the service when this one got its thread, read when its answer arrives rather than
    // when it was sent: tasks collected in between (their threads already free on the service)
    // are released here by then, and submits sent after it, still on their way, did not count.
    const past = (count: number): boolean => this.rawFull !== undefined && count > this.rawFull;
    const heldThen = (): number => this.onService + this.sentBefore(seq);
    if (this.release.wouldTell(this.inFlight)) this.release.observeAcceptance(heldThen());
    let climb = false;
    if (kind === 'speculative') {
      this.betsInTransit--;
      climb = this.speculation.accepted();
      if (this.telling.delete(seq) && past(heldThen())) this.release.record(true);
    }
    if (climb) {
      // Accepted well past the finished-task estimate, again and again: more threads than we think.
      this.climb();
    } else if (kind === 'probe') {
      if (this.telling.delete(seq) && past(heldThen())) this.release.record(true);
      this.probes.accepted(this.currentLimit);
      this.climb();
    } else if (
      this.phase === 'slow-start' &&
      this.waiters.size > 0 &&
      this.inFlight >= this.currentLimit &&
      this.onService >= this.currentLimit - slowStartBurst(this.currentLimit)
    ) {
      // Grow only while the limit is what keeps work waiting and our tasks really fill it: an
      // app-limited run, or one held back by the request rate, must not inflate it.
      this.setLimit(this.currentLimit + 1, 'slow-start');
    }
    this.pump();
  }

  private onRejected(kind: PermitKind, seq: number): void {
    // Submits sent before the rejected one reached the service first and were most likely
    // accepted, even if their answers are still on the way: they filled the account too.
    const earlier = this.sentBefore(seq);
    this.inTransit.delete(seq);
    const full = this.onService + earlier;
    const done = this.release.mode === 'solve' ? this.doneSource() : NO_DONE;
    // The model's own reading, without what earlier refusals moved it by: those were read against
    // this very limit, and a limit anchored on them would drift with nothing to pull it back
    // (measured: 20 threads over the account at 500, the estimate as far under the truth).
    const finished = done.mean - (done.shifted ?? 0);
    const telling = this.telling.delete(seq);
    if (kind === 'speculative') this.betsInTransit--;
    let explained = false;
    // Refusals of submits sent before an earlier refusal was heard tell nothing new of the semantics.
    let heldToCollection = false;
    if (seq >= this.refutedBefore) {
      this.refutedBefore = this.nextSeq;
      heldToCollection =
        this.release.mode === 'solve' && this.release.observeRefusal(full, finished);
      if (!heldToCollection && telling) heldToCollection = this.release.record(false);
    }
    if (heldToCollection) {
      // Threads turn out to be held until collection: the account was full with exactly ours out.
      this.phase = 'steady';
      this.rawFull = full;
      this.setLimit(full, 'rejected');
    } else if (kind !== 'speculative' || this.phase === 'steady') {
      // The account was full: our tasks out there, less those that have probably finished (they
      // hold no thread where the solve frees it), is what it holds. A refused bet was made when
      // the estimate ran ahead of the truth (refusals select those), so for a bet that reads low
      // by about the estimate's spread: the margin answers for that much. An anchor further below
      // moves the limit down at once, since a limit grown past the account's (a probe accepted
      // only because tasks had finished) left to the margin would cost a refusal per task, and
      // 2captcha-style services ban an account for a burst of refusals.
      const anchored = Math.max(1, Math.round(full - finished));
      const noise =
        kind === 'speculative' && this.phase === 'steady' ? 2 * Math.sqrt(done.variance) + 1 : 0;
      this.phase = 'steady';
      this.rawFull = full;
      if (anchored < this.currentLimit - noise) {
        this.setLimit(
          Math.round(anchored + noise / 2),
          kind === 'probe' ? 'probe-rejected' : 'rejected',
        );
        explained = true;
      }
    }
    // A refusal the lower limit explains says nothing of the estimate's noise: the margin stays
    // (raised, it would hold the next climb back for hundreds of acceptances).
    if (kind === 'speculative' && !explained && !heldToCollection) {
      this.speculation.rejected();
      // The account was full just now: exactly the tasks of ours past its threads had finished.
      this.doneMeasured?.(Math.max(0, full - this.currentLimit), MEASURE_NOISE_VARIANCE);
    }
    if (kind === 'probe') this.probes.rejected(this.currentLimit);
    this.pump();
  }

  /** Submits still on their way that were sent before `seq`. */
  private sentBefore(seq: number): number {
    // Sequence numbers are handed out in order, and a Map iterates in insertion order.
    let earlier = 0;
    for (const other of this.inTransit.keys()) {
      if (other >= seq) break;
      earlier++;
    }
    return earlier;
  }

  private onReleased(kind: PermitKind, seq: number, wasOnService: boolean): void {
    if (wasOnService) {
      this.onService--;
    } else {
      this.inTransit.delete(seq);
      if (kind === 'probe') this.probes.abandoned();
      if (kind === 'speculative') this.betsInTransit--;
      this.telling.delete(seq);
    }
    if (this.inFlight + 1 >= this.currentLimit && this.waiters.size > 0)
      this.probes.completedAtLimit();
    this.pump();
  }

  /** One more thread than the limit, proven by an acceptance, unless the service says otherwise. */
  private climb(): void {
    if (this.reportedThreads !== undefined && this.currentLimit >= this.reportedThreads) {
      this.ceilingListener?.();
      return;
    }
    this.setLimit(this.currentLimit + 1, 'probe-accepted');
  }

  private setLimit(value: number, reason: LimitChangeReason): void {
    const capped = Math.min(value, this.options.maxConcurrency ?? Number.POSITIVE_INFINITY);
    if (capped === this.currentLimit) return;
    const previous = this.currentLimit;
    this.currentLimit = capped;
    this.onChange?.({ limit: capped, previous, reason, inFlight: this.inFlight });
    // Feeders size their intake by the limit: a higher one wants more work queued, even while no
    // permit is free (slow start grows only while work waits).
    if (capped > previous) for (const listener of this.roomListeners) listener();
  }

  /** Hands permits to waiters while there is room; then tells feeders there is room. */
  private pump(): void {
    for (let kind = this.admissible(); kind && this.waiters.size > 0; kind = this.admissible()) {
      this.waiters.shift()?.resolve(this.grant(kind));
    }
    if (this.waiters.size === 0 && this.roomListeners.size > 0 && this.admissible()) {
      for (const listener of this.roomListeners) listener();
    }
  }
}
