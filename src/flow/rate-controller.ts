import { AbortError } from '../errors/abort-error.js';
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
import { RateMeter } from './rate-meter.js';
import { RatePause } from './rate-pause.js';
import { RateTimer } from './rate-timer.js';
import { RateWaiterQueue, type RatePriority, type RateWaiter } from './rate-waiter-queue.js';
import { TokenBucket } from './token-bucket.js';

/** The fast path hands back this one promise: no allocation per request while unlimited. */
const RESOLVED: Promise<void> = Promise.resolve();
/** Long enough to measure a few requests a second, short enough to track a cut within a window. */
const METER_WINDOW_MS = 2_000;
const EVENT_INTERVAL_MS = 1_000;
const CLOSED = 'RateController closed';

/**
 * One token bucket for every request of an account: submits and polls share the server's request
 * rate limit, which is unknown and may change. Unlimited until a ceiling or the first 429; a 429
 * cuts the rate to beta times the measured send rate, then CUBIC growth brings it back over the
 * server's window (only while requests are actually waiting for tokens), holds just under where
 * the 429 came, and probes above only rarely. Server pauses hold every request, then release
 * them spread by jitter. Scarce tokens go by priority, then FIFO; one timer serves the whole queue.
 */
export class RateController {
  private readonly options: ResolvedRateControllerOptions;
  private readonly clock: Clock;
  private readonly onChange: ((event: RateChangedEvent) => void) | undefined;
  private readonly queue = new RateWaiterQueue();
  private readonly meter = new RateMeter(METER_WINDOW_MS);
  private readonly bucket: TokenBucket;
  /** Allowed requests per second; undefined while unlimited. */
  private rate: number | undefined;
  /** The recovery since the last cut; undefined before any cut or once at the ceiling. */
  private curve: CubicRecovery | undefined;
  private limitedMs = 0;
  private probeStartMs: number | undefined;
  private sentSinceCut = 0;
  /** Requests answered without a 429 since the last cut. */
  private answeredSinceCut = 0;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  private lastUpdateAt: number;
  private readonly pause: RatePause;
  private throttleEvents = 0;
  private lastEmitAt = Number.NEGATIVE_INFINITY;
  private emittedRate: number | undefined;
  private readonly timer: RateTimer;
  private closed = false;

  constructor(options: RateControllerOptions, deps: RateControllerDeps) {
    this.options = resolveRateControllerOptions(options);
    this.clock = deps.clock;
    this.pause = new RatePause(this.options.resumeSpreadMs, deps.random);
    this.onChange = deps.onChange;
    this.rate = this.options.requestsPerSecond;
    this.emittedRate = this.rate;
    this.bucket = new TokenBucket(this.options.burst);
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
      this.drain();
    });
  }

  /**
   * The server answered 429 to a request sent at `sentAt`. Cuts the rate, at most once per
   * cooldown, and only for requests sent after the last cut: those sent before it say nothing
   * about the new rate (a storm of 429s must not collapse the rate cut after cut). With a
   * Retry-After the account also pauses until then.
   */
  onThrottled(retryAfterMs?: number, sentAt?: number): void {
    if (retryAfterMs !== undefined) this.pauseFor(retryAfterMs);
    if (this.closed) return;
    const now = this.clock.now();
    this.update(now);
    if (retryAfterMs === undefined) this.throttleEvents++;
    if (now - this.lastCutAt < this.options.decreaseCooldownMs) return;
    if (sentAt !== undefined && sentAt < this.lastCutAt) return;
    const { beta, plateauMargin, recoveryWindowMs, minRate, requestsPerSecond } = this.options;
    const measured = this.meter.rate(now);
    // Nothing sent lately: this 429 says little about our rate, so cut from the allowed one.
    const sent = measured > 0 ? measured : (this.rate ?? minRate);
    let wMax = Math.max(minRate, this.rate === undefined ? sent : Math.min(sent, this.rate));
    // If nothing at all got through since the last cut, the server may be refusing everyone (an
    // outage, a storm not caused by our rate) or counting its own refusals against us. Either
    // way the rate goes on down, but the ceiling to climb back to stays where it was: once the
    // storm passes, the rate returns there within a window instead of starting from the floor.
    let startBelow: number | undefined;
    if (this.curve && this.answeredSinceCut === 0 && now - this.lastCutAt < recoveryWindowMs) {
      startBelow = beta * Math.min(wMax, this.rate ?? wMax);
      wMax = this.curve.wMax;
    }
    this.answeredSinceCut = 0;
    this.lastCutAt = now;
    if (this.rate === undefined) this.bucket.set(0);
    this.curve = cubicRecovery(wMax, beta, plateauMargin, recoveryWindowMs, startBelow);
    this.limitedMs = 0;
    this.probeStartMs = undefined;
    this.sentSinceCut = 0;
    this.rate = Math.min(
      requestsPerSecond ?? Number.POSITIVE_INFINITY,
      Math.max(minRate, this.curve.start),
    );
    this.emit(now, { ratePerSecond: this.rate, reason: 'throttled' });
  }

  /** A request was answered without a 429: the server does accept some at the current rate. */
  onAnswered(): void {
    this.answeredSinceCut++;
  }

  /** Holds every request of the account for `ms` (Retry-After, a ban); never shortens a pause. */
  pauseFor(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`pauseFor(ms): ms must be finite, got ${ms}`);
    if (this.closed || ms <= 0) return;
    const now = this.clock.now();
    this.update(now);
    this.throttleEvents++;
    this.pause.extend(now, ms);
    this.emit(now, {
      ratePerSecond: this.rate,
      reason: 'paused',
      pausedMs: this.pause.until - now,
    });
    if (this.queue.size > 0) this.drain();
  }

  stats(): RateControllerStats {
    const now = this.clock.now();
    this.update(now);
    return {
      ratePerSecond: this.rate,
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

  /** Brings tokens and the recovery curve up to `now`. */
  private update(now: number): void {
    const last = this.lastUpdateAt;
    if (now <= last) return;
    this.lastUpdateAt = now;
    if (this.rate === undefined) return;
    const waiting = this.queue.size > 0;
    // One token of slack while requests wait lets a timer that fired late catch up, instead of
    // losing the lateness; an idle bucket (or one held by a pause) keeps to the burst size.
    const cap = this.bucket.capacity + (waiting && last >= this.pause.until ? 1 : 0);
    this.bucket.refill(now - last, this.rate, cap);
    // Growth counts only rate-limited time: app-limited or paused time proves nothing.
    const limited = now - Math.max(last, this.pause.until);
    if (this.curve && waiting && limited > 0) this.grow(this.curve, limited, now);
  }

  private grow(curve: CubicRecovery, limited: number, now: number): void {
    const before = this.limitedMs;
    this.limitedMs += limited;
    if (
      this.probeStartMs === undefined &&
      this.limitedMs >= curve.kMs &&
      // Probe above the plateau after enough requests without a 429, or after four windows
      // at it: at a low rate the request count alone would take hours.
      (this.sentSinceCut >= this.options.probeAfterRequests || this.limitedMs >= 4 * curve.kMs)
    ) {
      this.probeStartMs = Math.max(curve.kMs, before);
    }
    const ceiling = this.options.requestsPerSecond;
    const rate = Math.max(
      this.options.minRate,
      cubicRate(curve, this.limitedMs, this.probeStartMs),
    );
    if (ceiling !== undefined && rate >= ceiling) {
      this.rate = ceiling;
      this.curve = undefined;
      this.emit(now, { ratePerSecond: ceiling, reason: 'ceiling' });
      return;
    }
    this.rate = rate;
    if (rate !== this.emittedRate && now - this.lastEmitAt >= EVENT_INTERVAL_MS) {
      this.emit(now, { ratePerSecond: rate, reason: 'recovering' });
    }
  }

  /** How long the head of the queue must still wait; 0 if it may go now. */
  private waitMs(now: number): number {
    const paused = this.pause.waitMs(now, this.queue.size);
    if (paused > 0 || this.rate === undefined) return paused;
    return this.bucket.msUntilToken(this.rate);
  }

  private send(now: number): void {
    if (this.rate !== undefined) this.bucket.take();
    this.meter.record(now);
    this.sentSinceCut++;
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
      // A listener's bug must not break the queue; report it the way EventTarget does.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
