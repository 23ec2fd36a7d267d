import { AbortError } from '../errors/abort-error.js';
import { CANCELLED, type Clock } from '../time/clock.js';
import type { Random } from '../time/random.js';
import type { BackoffPolicy } from './backoff.js';
import { WaiterQueue } from './waiter-queue.js';

export interface OutageBreakerOptions extends BackoffPolicy {
  /** Failed answers in a row, over all requests, that open the breaker. */
  threshold: number;
}

/**
 * Failures in a row before the account's requests stop: a few, so a sporadic 502 or reset (each
 * retried by its own request) never stops the others, while an outage stops them within a round.
 * Pauses grow from 1 s to 30 s: a short blip costs a second, a long outage about one request a
 * half-minute.
 */
export const OUTAGE_BREAKER: Readonly<OutageBreakerOptions> = Object.freeze({
  threshold: 3,
  baseMs: 1_000,
  capMs: 30_000,
});

/** What a waiting request is told when the trial that went for it failed: it was not sent. */
export class TrialFailed extends Error {
  constructor(readonly failure: unknown) {
    super('the service failed the trial request; this one was not sent', { cause: failure });
    this.name = 'TrialFailed';
  }
}

const TRIAL = Promise.resolve(true);
const NOT_TRIAL = Promise.resolve(false);

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What the breaker tells its listener when it opens or closes. */
export interface BreakerChange {
  state: BreakerState;
  /** How long the breaker stays open before one trial request goes ('open' only). */
  pauseMs: number;
  /** Failures in a row so far. */
  failures: number;
}

/**
 * One backoff for every failure of the service, whatever its form (a 5xx, an HTML page, a reset,
 * a truncated or garbled 200, a request that timed out), on submits and polls alike. A few failed
 * answers in a row with no good one between open it: every request of the account then waits,
 * and once a pause has passed one trial request goes alone. A good answer to it (or any) closes
 * the breaker and lets the rest go; another failure opens it for longer (doubling, with jitter,
 * up to the cap). Each request keeps its own few retries, so a single fault costs nothing here;
 * what the breaker bounds is the traffic of many requests failing together, which without it
 * grows with the number of tasks out.
 */
export class OutageBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  /** Pauses in a row: the next pause's exponent. */
  private opens = 0;
  private trialOut = false;
  private readonly waiters = new WaiterQueue<boolean>();
  private timer: AbortController | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly options: OutageBreakerOptions = OUTAGE_BREAKER,
    private readonly onChange?: (change: BreakerChange) => void,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  /** Requests waiting for the breaker to close. */
  get waiting(): number {
    return this.waiters.size;
  }

  /**
   * Resolves when a request may go: at once while closed, else as the trial (true) or once the
   * breaker closed. A trial that ends without an answer (aborted) must be given back (abandoned).
   */
  admit(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    if (this.current === 'closed') return NOT_TRIAL;
    if (this.current === 'half-open' && !this.trialOut) {
      this.trialOut = true;
      return TRIAL;
    }
    return this.waiters.enqueue(signal);
  }

  /** The trial request ended without an answer: the next waiter is the trial instead. */
  abandoned(): void {
    if (this.current !== 'half-open' || !this.trialOut) return;
    this.trialOut = false;
    this.nextTrial();
  }

  /** The service gave an answer it meant (a result, an error code, a throttle): it is up. */
  succeeded(): void {
    this.failures = 0;
    if (this.current === 'closed') return;
    this.opens = 0;
    this.trialOut = false;
    this.disarm();
    this.current = 'closed';
    this.onChange?.({ state: 'closed', pauseMs: 0, failures: 0 });
    for (let waiter = this.waiters.shift(); waiter; waiter = this.waiters.shift())
      waiter.resolve(false);
  }

  /**
   * A request failed the way an outage fails (no answer, or not one the API gives). When it was
   * the trial, every request waiting behind it is answered with the same failure (TrialFailed),
   * unsent: it counts as one of their attempts, so their retries run out at the pace of the
   * trials, one request for all of them, and not one request each.
   */
  failed(failure?: unknown): void {
    this.failures++;
    if (this.current === 'open') return; // sent before it opened: already counted in
    if (this.current === 'closed' && this.failures < this.options.threshold) return;
    const trialFailed = this.current === 'half-open';
    this.open();
    if (trialFailed) this.waiters.rejectAll(new TrialFailed(failure));
  }

  /** Rejects every waiter (the owner is closing). */
  close(): void {
    this.disarm();
    this.waiters.rejectAll(new AbortError(new Error('Solver closed')));
  }

  private open(): void {
    const ceiling = Math.min(
      this.options.capMs,
      this.options.baseMs * 2 ** Math.min(this.opens, 30),
    );
    // Equal jitter: at least half the ceiling, so the pause always grows with the outage, and
    // spread over the other half, so many clients of one service do not come back together.
    const pauseMs = Math.floor(ceiling / 2 + (this.random() * ceiling) / 2);
    this.opens++;
    this.current = 'open';
    this.trialOut = false;
    this.onChange?.({ state: 'open', pauseMs, failures: this.failures });
    this.disarm();
    const timer = new AbortController();
    this.timer = timer;
    this.clock.sleep(pauseMs, timer.signal).then(
      () => {
        if (this.timer !== timer) return;
        this.timer = undefined;
        this.current = 'half-open';
        this.nextTrial();
      },
      () => undefined,
    );
  }

  private nextTrial(): void {
    const trial = this.waiters.shift();
    if (!trial) return;
    this.trialOut = true;
    trial.resolve(true);
  }

  private disarm(): void {
    this.timer?.abort(CANCELLED);
    this.timer = undefined;
  }
}
