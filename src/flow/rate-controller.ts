import { AbortError } from '../errors/abort-error.js';
import { reportLater } from '../errors/report-later.js';
import type { Clock } from '../time/clock.js';
import type {
  RateChangedEvent,
  RateControllerDeps,
  RateControllerStats,
} from './rate-controller-types.js';
import { cubicRate, cubicRecovery, type CubicRecovery } from './cubic-recovery.js';
import {
  resolveRateControllerOptions,
  type RateControllerOptions,
  type ResolvedRateControllerOptions,
} from './rate-controller-options.js';
import { RateEvidence } from './rate-evidence.js';
import { RateMeter } from './rate-meter.js';
import { RatePause } from './rate-pause.js';
import { RateStorm } from './rate-storm.js';
import { RateTimer } from './rate-timer.js';
import { RateWaiterQueue, type RatePriority, type RateWaiter } from './rate-waiter-queue.js';
import { SlowStart } from './slow-start.js';
import { TokenBucket } from './token-bucket.js';

/** The fast path hands back this one promise: no allocation per request while unlimited. */
const RESOLVED: Promise<void> = Promise.resolve();
/** Long enough to measure a few requests a second, short enough to track a cut within a window. */
const METER_WINDOW_MS = 2_000;
const EVENT_INTERVAL_MS = 1_000;
const CLOSED = 'RateController closed';
/** A span between two 429s shorter than this proves too little about the server's rate. */
const PROOF_SPAN_MS = 10_000;
/** Spans older than this may predate a change of plan. */
const PROOF_HORIZON_MS = 600_000;
/** A state that ran this long without a single 429 was good for its demand: worth putting back. */
const QUIET_MS = 30_000;
/**
 * The quick probe after a first proven rate climbs from it to the rate that drew the 429 in this
 * long: slow enough that the server's bucket is nearly always empty over the span it proves
 * (short spans prove little: the bound loses one request per span), fast enough that it does
 * not sit under the limit while the bucket fills and overflows.
 */
const EAGER_RAMP_MS = 30_000;
/** Submits that waited for a token this recently still count as held back by the rate. */
const SUBMITS_HELD_MS = 5_000;
/**
 * Quick probes in a row at most. Each costs a 429 and proves about half of what is left below
 * the rate that drew it; where pauses (Retry-After) keep each proof short of the limit, every one
 * still gains a little and the chain ran on past the first minute, a 429 every 20 s.
 */
const MAX_EAGER_PROBES = 2;

/** Where the rate stands in its recovery; copied whole so that a storm can put it back. */
interface Recovery {
  /** Allowed requests per second; undefined while unlimited. */
  rate: number | undefined;
  /** The recovery since the last cut; undefined before any cut or once at the ceiling. */
  curve: CubicRecovery | undefined;
  limitedMs: number;
  probeStartMs: number | undefined;
  sentSinceCut: number;
  /** Probes that drew a 429 at the level they started from: each doubles the next wait. */
  failedProbes: number;
  /** The probe under way is the quick one right after a first proven rate (a CUBIC ramp). */
  eager: boolean;
  /** This curve holds the first proven rate after a climb: probe it at once (see grow). */
  eagerDue: boolean;
  /** Quick probes in a row so far (each after the last one's 429). */
  eagerProbes: number;
}

/**
 * One token bucket for every request of an account: submits and polls share the server's request
 * rate limit, which is unknown and may change. Paced by a slow start (or a ceiling) until the
 * first 429. A 429 cuts the rate: to a rate the server's answers prove it sustains (RateEvidence)
 * where there is one, and holds it; else to beta times the measured send rate, then CUBIC growth
 * brings it back over the server's window, or half of it while nothing is proven (only while
 * requests are actually waiting for tokens). Above the plateau it probes only rarely, more rarely
 * after each probe that fails. A storm of 429s that refuses everyone pauses the account instead
 * (RateStorm) and puts the old rate back after it.
 * Server pauses hold every request, then release them spread by jitter. Scarce tokens go by
 * priority, then FIFO; one timer serves the whole queue.
 */
export class RateController {
  private readonly options: ResolvedRateControllerOptions;
  private readonly clock: Clock;
  private readonly onChange: ((event: RateChangedEvent) => void) | undefined;
  private readonly queue = new RateWaiterQueue();
  private readonly meter = new RateMeter(METER_WINDOW_MS);
  private readonly bucket: TokenBucket;
  private r: Recovery;
  private readonly evidence = new RateEvidence(PROOF_SPAN_MS, PROOF_HORIZON_MS);
  private readonly storm: RateStorm<Recovery>;
  /** Requests sent, and answered without a 429, since the last cut or storm pause. */
  private sentSinceStep = 0;
  private answeredSinceStep = 0;
  /** The last cut or storm pause: 429s for requests sent before it are old news. */
  private lastCutAt = Number.NEGATIVE_INFINITY;
  private lastThrottledAt = Number.NEGATIVE_INFINITY;
  private firstSentAt: number | undefined;
  private submitWaitedAt = Number.NEGATIVE_INFINITY;
  private lastUpdateAt: number;
  private readonly pause: RatePause;
  /** The end of the latest pause the server asked for (Retry-After, a ban), not a storm's. */
  private serverPauseUntil = 0;
  private throttleEvents = 0;
  private lastEmitAt = Number.NEGATIVE_INFINITY;
  private emittedRate: number | undefined;
  private readonly timer: RateTimer;
  /** Paces requests before the first 429 when there is no ceiling; gone after it. */
  private slowStart: SlowStart | undefined;
  private closed = false;

  constructor(options: RateControllerOptions, deps: RateControllerDeps) {
    this.options = resolveRateControllerOptions(options);
    this.clock = deps.clock;
    this.pause = new RatePause(this.options.resumeSpreadMs, deps.random);
    this.storm = new RateStorm(this.options.stormBaseMs, this.options.stormCapMs, deps.random);
    this.onChange = deps.onChange;
    const rate = this.options.requestsPerSecond;
    this.r = {
      rate,
      curve: undefined,
      limitedMs: 0,
      probeStartMs: undefined,
      sentSinceCut: 0,
      failedProbes: 0,
      eager: false,
      eagerDue: false,
      eagerProbes: 0,
    };
    this.emittedRate = rate;
    this.bucket = new TokenBucket(this.options.burst);
    const { slowStartRate, slowStartDoublingMs } = this.options;
    if (rate === undefined && slowStartRate !== undefined) {
      this.slowStart = new SlowStart(slowStartRate, slowStartDoublingMs);
    }
    this.lastUpdateAt = this.clock.now();
    this.timer = new RateTimer(this.clock, () => this.drain());
  }

  /** Resolves when this request may be sent; rejects with AbortError on abort or close. */
  acquire(priority: RatePriority, signal?: AbortSignal): Promise<void> {
    const lane = RateWaiterQueue.laneOf(priority);
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    if (this.closed) return Promise.reject(new AbortError(CLOSED));
    const now = this.clock.now();
    this.update(now);
    if (this.queue.size === 0 && this.waitMs(now) === 0) {
      this.send(now);
      return RESOLVED;
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = RateWaiterQueue.waiter(lane, resolve, reject, signal);
      if (signal) {
        waiter.onAbort = () => this.abandon(waiter);
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      if (priority === 'submit') this.submitWaitedAt = now;
      this.drain();
    });
  }

  /**
   * The server answered 429 to a request sent at `sentAt`. Cuts the rate, at most once per
   * cooldown, and only for requests sent after the last cut: those sent before it say nothing
   * about the new rate (a storm of 429s must not collapse the rate cut after cut). If nothing got
   * through since the last cut, the server is refusing everyone: the account pauses through the
   * storm instead. With a Retry-After the account also pauses until then.
   */
  onThrottled(retryAfterMs?: number, sentAt?: number): void {
    const pausedUntil = this.serverPauseUntil;
    if (retryAfterMs !== undefined) this.pauseFor(retryAfterMs);
    if (this.closed) return;
    const now = this.clock.now();
    this.update(now);
    if (retryAfterMs === undefined) this.throttleEvents++;
    const quietMs = now - this.lastThrottledAt;
    this.lastThrottledAt = now;
    if (!this.storm.active) this.evidence.throttled(now);
    if (sentAt !== undefined && sentAt < this.lastCutAt) return;
    // In a storm every fresh 429 is news (the storm goes on); else in-flight 429s are one signal.
    if (
      !(this.storm.active && sentAt !== undefined) &&
      now - this.lastCutAt < this.options.decreaseCooldownMs
    )
      return;
    const refusingAll =
      this.storm.active ||
      (this.answeredSinceStep === 0 &&
        this.sentSinceStep > 0 &&
        now - this.lastCutAt < this.options.recoveryWindowMs);
    const { beta, minRate } = this.options;
    // A server's pause inside the meter's window (a Retry-After) holds sends back, so the meter
    // reads low: a 429 a second after a pause of one read about half the rate, and cut the rate
    // to a third, to climb back for a minute and hold there. The rate allowed since the pause is
    // what was sent.
    const pausedLately = pausedUntil > now - METER_WINDOW_MS && this.r.rate !== undefined;
    const measured = pausedLately ? 0 : this.meter.rate(now);
    // Compared with some slack: the meter's window catches a little of any unevenness of sends.
    if (measured > 0) this.evidence.throttledAt(measured / (1 + this.options.plateauMargin));
    // Nothing sent lately: this 429 says little about our rate, so cut from the allowed one.
    const sent = measured > 0 ? measured : (this.r.rate ?? minRate);
    const wMax = Math.max(minRate, this.r.rate === undefined ? sent : Math.min(sent, this.r.rate));
    const proven = refusingAll ? undefined : this.evidence.provenRate(now);
    // Refused while well under a rate the server has sustained: not our rate's doing.
    if (refusingAll || (proven !== undefined && wMax < beta * proven)) return this.stormStep(now);
    const quiet = quietMs >= QUIET_MS && now - (this.firstSentAt ?? now) >= QUIET_MS;
    this.storm.cutFrom(quiet ? { ...this.r } : undefined);
    this.cut(now, wMax, proven);
  }

  /**
   * A request sent at `sentAt` was answered without a 429: the server does accept some at the
   * current rate. The first one after a storm ends it.
   */
  onAnswered(sentAt?: number): void {
    this.evidence.answer(this.clock.now(), sentAt);
    if (sentAt !== undefined && sentAt < this.lastCutAt) return;
    this.answeredSinceStep++;
    if (this.storm.active) this.endStorm();
  }

  /** Holds every request of the account for `ms` (Retry-After, a ban); never shortens a pause. */
  pauseFor(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`pauseFor(ms): ms must be finite, got ${ms}`);
    if (this.closed || ms <= 0) return;
    const now = this.clock.now();
    this.update(now);
    this.throttleEvents++;
    this.serverPauseUntil = Math.max(this.serverPauseUntil, now + ms);
    this.holdAll(now, ms);
  }

  /**
   * Whether submits wait for tokens (now or in the last few seconds): the request rate, not the
   * slots, is what holds new work back, so every poll sent delays a submit.
   */
  limitsSubmits(): boolean {
    const now = this.clock.now();
    if (this.queue.has('submit')) this.submitWaitedAt = now;
    return now - this.submitWaitedAt < SUBMITS_HELD_MS;
  }

  stats(): RateControllerStats {
    const now = this.clock.now();
    this.update(now);
    return {
      ratePerSecond: this.r.rate,
      waiting: this.queue.size,
      throttleEvents: this.throttleEvents,
      pausedUntil: this.pause.until,
      sentLastSecond: this.meter.countSince(now, 1_000),
    };
  }

  /** Rejects every waiter with AbortError and stops the timer; later acquires reject too. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.timer.cancel();
    for (const waiter of this.queue.takeAll()) {
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new AbortError(CLOSED));
    }
  }

  private cut(now: number, wMax: number, proven: number | undefined): void {
    const { beta, plateauMargin, recoveryWindowMs, minRate, requestsPerSecond } = this.options;
    const last = this.r;
    // A probe that drew its 429 no higher than the last one failed: the limit has not moved. One
    // that got past it found more room: probe again soon. Past it means by more than the plateau
    // margin, so that the plateau it allows is above the last 429: the measured send rate wobbles
    // by a fraction of a percent, and reading that as room re-arms the quick probe at a limit
    // that has not moved, one needless 429 after another.
    const beyond = last.curve !== undefined && (1 - plateauMargin) * wMax > last.curve.wMax;
    this.lastCutAt = now;
    this.sentSinceStep = this.answeredSinceStep = 0;
    this.slowStart = undefined;
    if (last.rate === undefined) this.bucket.set(0);
    // A probe's 429 says nothing against the plateau it left, which held without one for long.
    const held = last.curve && last.probeStartMs !== undefined ? last.curve.plateau : undefined;
    const hold = held === undefined || (proven !== undefined && proven > held) ? proven : held;
    // Until a rate is proven the climb back takes half the window: a cut early on (a cold start
    // finds the limit in a few seconds) would otherwise leave the rate under it for most of the
    // first minute, and the quick probes that prove it (a 429 each) fall after that minute.
    const windowMs = proven === undefined ? recoveryWindowMs / 2 : recoveryWindowMs;
    const curve = cubicRecovery(wMax, beta, plateauMargin, windowMs, hold);
    // A probe whose span proved a rate past the plateau it left found room too, short of the 429
    // level: a ramp from a loose plateau proves about its midpoint, so another quick one halves
    // what is left, until a probe gains less than the margin.
    const gained =
      curve.kMs === 0 &&
      last.curve !== undefined &&
      (1 - plateauMargin) * curve.plateau > last.curve.plateau;
    const probing = last.probeStartMs !== undefined;
    const failedProbes = beyond || gained ? 0 : probing ? last.failedProbes + 1 : last.failedProbes;
    const rate = Math.min(
      requestsPerSecond ?? Number.POSITIVE_INFINITY,
      Math.max(minRate, curve.start),
    );
    const eagerDue =
      gained || (curve.kMs === 0 && last.curve !== undefined && (last.curve.kMs > 0 || beyond));
    const eagerProbes = last.eager ? last.eagerProbes + 1 : 0;
    this.r = {
      rate,
      curve,
      limitedMs: 0,
      probeStartMs: undefined,
      sentSinceCut: 0,
      failedProbes,
      eager: false,
      eagerDue: eagerProbes < MAX_EAGER_PROBES && eagerDue,
      eagerProbes,
    };
    this.emit(now, { ratePerSecond: rate, reason: 'throttled' });
  }

  /** Nothing gets through whatever our rate: hold every request a while, keep the rate. */
  private stormStep(now: number): void {
    this.evidence.clear();
    this.lastCutAt = now;
    this.sentSinceStep = this.answeredSinceStep = 0;
    this.holdAll(now, this.storm.step());
  }

  /** Extends the pause of every request by `ms` (never shortening it), says so, and reschedules. */
  private holdAll(now: number, ms: number): void {
    this.pause.extend(now, ms);
    this.emit(now, {
      ratePerSecond: this.r.rate,
      reason: 'paused',
      pausedMs: this.pause.until - now,
    });
    if (this.queue.size > 0) this.drain();
  }

  private endStorm(): void {
    const saved = this.storm.end();
    if (!saved) return;
    const now = this.clock.now();
    if (saved.rate !== undefined && this.r.rate === undefined) this.bucket.set(0);
    this.r = { ...saved };
    this.emit(now, { ratePerSecond: saved.rate, reason: 'resumed' });
    if (this.queue.size > 0) this.drain();
  }

  /** Brings tokens and the recovery curve up to `now`. */
  private update(now: number): void {
    const last = this.lastUpdateAt;
    if (now <= last) return;
    this.lastUpdateAt = now;
    const rate = this.r.rate;
    const waiting = this.queue.size > 0;
    if (rate === undefined) {
      const elapsed = now - Math.max(last, this.pause.until);
      if (elapsed > 0) this.slowStart?.advance(elapsed, waiting);
      if (this.slowStart?.done) this.slowStart = undefined;
      return;
    }
    // One token of slack while requests wait lets a timer that fired late catch up, instead of
    // losing the lateness; an idle bucket (or one held by a pause) keeps to the burst size.
    const cap = this.bucket.capacity + (waiting && last >= this.pause.until ? 1 : 0);
    this.bucket.refill(now - last, rate, cap);
    // Growth counts only rate-limited time: app-limited or paused time proves nothing.
    const limited = now - Math.max(last, this.pause.until);
    if (this.r.curve && waiting && limited > 0) this.grow(this.r.curve, limited, now);
  }

  private grow(curve: CubicRecovery, limited: number, now: number): void {
    const r = this.r;
    const before = r.limitedMs;
    r.limitedMs += limited;
    // Probe above the plateau after enough requests without a 429, or after long enough at it:
    // at a low rate the request count alone would take hours. Failed probes double both. The
    // first proven rate after a limit is found is loose (its span began with the climb from the
    // cut, when the server had tokens to spare): one probe at once, over a span spent near the
    // limit, proves nearly all of it.
    const backoff = 2 ** Math.min(r.failedProbes, 20);
    const eager = r.eagerDue;
    if (
      r.probeStartMs === undefined &&
      r.limitedMs >= curve.kMs &&
      (eager ||
        r.sentSinceCut >= this.options.probeAfterRequests * backoff ||
        r.limitedMs >= curve.kMs + this.options.probeAfterMs * backoff)
    ) {
      r.probeStartMs = Math.max(curve.kMs, before);
      r.eager = eager;
    }
    const ceiling = this.options.requestsPerSecond;
    const rate = Math.max(
      this.options.minRate,
      cubicRate(curve, r.limitedMs, r.probeStartMs, r.eager ? EAGER_RAMP_MS : undefined),
    );
    if (ceiling !== undefined && rate >= ceiling) {
      r.rate = ceiling;
      r.curve = undefined;
      this.emit(now, { ratePerSecond: ceiling, reason: 'ceiling' });
      return;
    }
    r.rate = rate;
    if (rate !== this.emittedRate && now - this.lastEmitAt >= EVENT_INTERVAL_MS) {
      this.emit(now, { ratePerSecond: rate, reason: 'recovering' });
    }
  }

  /** How long the head of the queue must still wait; 0 if it may go now. */
  private waitMs(now: number): number {
    const paused = this.pause.waitMs(now, this.queue.size);
    if (paused > 0) return paused;
    if (this.r.rate === undefined) return this.slowStart?.msUntilToken() ?? 0;
    return this.bucket.msUntilToken(this.r.rate);
  }

  private send(now: number): void {
    if (this.r.rate !== undefined) this.bucket.take();
    else this.slowStart?.take();
    this.meter.record(now);
    this.firstSentAt ??= now;
    this.r.sentSinceCut++;
    this.sentSinceStep++;
    this.pause.released(now, this.queue.size);
  }

  /** Releases every waiter that may go now, then sets the one timer for the next. */
  private drain(): void {
    const now = this.clock.now();
    this.update(now);
    for (let head = this.queue.peek(); head; head = this.queue.peek()) {
      const wait = this.waitMs(now);
      // Whole milliseconds: fractional tokens carry the remainder, so rounding loses no rate.
      if (wait > 0) return this.timer.wakeAt(now, now + Math.ceil(wait));
      this.queue.remove(head);
      if (head.onAbort) head.signal?.removeEventListener('abort', head.onAbort);
      this.send(now);
      head.resolve();
    }
    this.timer.cancel();
  }

  private abandon(waiter: RateWaiter): void {
    if (!waiter.queued) return;
    this.update(this.clock.now());
    this.queue.remove(waiter);
    waiter.reject(new AbortError(waiter.signal?.reason));
    if (this.queue.size === 0) this.timer.cancel();
  }

  private emit(now: number, event: RateChangedEvent): void {
    if (!this.onChange) return;
    this.lastEmitAt = now;
    this.emittedRate = event.ratePerSecond;
    try {
      this.onChange(event);
    } catch (error) {
      // A listener's bug must not break the queue, nor go unseen.
      reportLater(error);
    }
  }
}
