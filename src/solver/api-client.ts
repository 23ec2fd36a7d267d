import { HttpError } from '../errors/http-error.js';
import { classify, type Classification } from '../errors/classify.js';
import { NetworkError } from '../errors/network-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { fullJitterDelay, serverPauseDelay } from '../flow/backoff.js';
import { OUTAGE_BREAKER, OutageBreaker, TrialFailed } from '../flow/outage-breaker.js';
import type { RateController } from '../flow/rate-controller.js';
import type { RatePriority } from '../flow/rate-waiter-queue.js';
import { parseAnswerOrThrow, type NotReadyAnswer, type OkAnswer } from '../protocol/index.js';
import type { ApiRequest, ApiResponse } from '../transport/types.js';
import type { SolverEvents } from './events.js';
import type { ResolvedSolverOptions } from './options.js';
import { answerOutcome, requestLine } from './request-line.js';
import { submitFailureOutcome, submitOutcomeOf, type SubmitOutcome } from './submit-outcome.js';
import type { TypedEmitter } from './typed-emitter.js';

/** A successful or not-yet-ready answer; error answers are thrown as ApiError. */
export type CallResult = OkAnswer | NotReadyAnswer;

/** Turns a raw answer into a result; throws HttpError/ProtocolError/ApiError for failures. */
export type AnswerParser<T> = (response: ApiResponse, nowMs: number) => T;

export interface CallOptions {
  signal: AbortSignal | undefined;
  /** Which requests go first when the rate limit is scarce. @default 'account' */
  priority?: RatePriority;
  /** Attempts for transient failures. @default the solver's maxTransientAttempts */
  maxAttempts?: number;
  /**
   * Throw a failure that may have reached the server (see isLostAnswer) instead of retrying it.
   * Submits set this: resending one whose answer was lost may create a second task.
   */
  throwOnLostAnswer?: boolean;
  /**
   * Runs synchronously right before each attempt goes on the wire, after every wait; an error it
   * throws ends the call as it is, without a retry.
   */
  onSending?: (() => void) | undefined;
  /** Each failed attempt (not an abort), before it is retried or thrown. */
  onFailed?: ((error: unknown) => void) | undefined;
  /** After each attempt: what its answer (or its failure) says about an in.php task. */
  onAnswered?: ((outcome: SubmitOutcome) => void) | undefined;
}

/**
 * One request to the service with the retries every request needs: each waits for the account's
 * rate limiter; transient failures (5xx, HTML pages, resets) get full-jitter backoff within a
 * bounded number of attempts; throttles (429, bans) cut the rate or pause every request of the
 * account. Everything else is thrown for the caller to decide.
 */
export class ApiClient {
  /** Stops every request of the account while the service fails them all (see OutageBreaker). */
  readonly breaker: OutageBreaker;

  constructor(
    private readonly options: ResolvedSolverOptions,
    private readonly events: TypedEmitter<SolverEvents>,
    readonly rate: RateController,
    /** A separate ceiling for in.php, where a service bans bursts of submits (MAX_USER_TURN). */
    readonly submitRate?: RateController,
  ) {
    this.breaker = new OutageBreaker(options.clock, options.random, OUTAGE_BREAKER, (change) => {
      if (events.listens('outage')) events.emit('outage', change);
    });
  }

  call(request: ApiRequest, callOptions: CallOptions): Promise<CallResult> {
    return this.callWith(
      request,
      (response, now) => parseAnswerOrThrow(response, request.endpoint, now),
      callOptions,
    );
  }

  async callWith<T>(
    request: ApiRequest,
    parse: AnswerParser<T>,
    callOptions: CallOptions,
  ): Promise<T> {
    const { clock, profile, transport } = this.options;
    const { signal } = callOptions;
    const priority = callOptions.priority ?? 'account';
    const attempts: AttemptCounts = { transient: 0, throttle: 0 };
    // One loop, inline: a healthy request goes through the same awaits as ever, so the order
    // of events at one instant (which the flow controller's readings depend on) stays as it was.
    for (;;) {
      let trial = false;
      let failure: unknown;
      let sentAt = 0;
      let classification: Classification | undefined;
      try {
        // Closed, as nearly always: no await for the breaker.
        if (this.breaker.state !== 'closed') trial = await this.breaker.admit(signal);
        if (request.endpoint === 'in.php') await this.submitRate?.acquire(priority, signal);
        await this.rate.acquire(priority, signal);
        sentAt = clock.now();
        callOptions.onSending?.();
      } catch (error) {
        if (trial) this.breaker.abandoned();
        // A failed trial stood for this request too: a try, but surely not sent.
        if (!(error instanceof TrialFailed)) throw error;
        failure = notSent(error.failure);
      }
      if (failure === undefined) {
        let status: number | undefined;
        try {
          let response: ApiResponse;
          try {
            response = await transport.send(request, signal ? { signal } : {});
          } catch (error) {
            callOptions.onAnswered?.(submitFailureOutcome(error));
            throw error;
          }
          status = response.status;
          callOptions.onAnswered?.(submitOutcomeOf(response));
          if (response.status !== 429) this.rate.onAnswered(sentAt);
          const value = parse(response, clock.now());
          this.breaker.succeeded();
          this.options.log?.write('debug', 'request', () =>
            requestLine(request, {
              status,
              outcome: answerOutcome(value),
              ms: clock.now() - sentAt,
            }),
          );
          return value;
        } catch (error) {
          failure = error;
          this.options.log?.write('debug', 'request', () =>
            requestLine(request, { status, outcome: codeOf(error), ms: clock.now() - sentAt }),
          );
          classification = classify(error, profile);
          const { kind } = classification;
          if (kind === 'aborted' && trial) this.breaker.abandoned();
          // Any answer the API means (a code, a throttle) shows the service up; only failures
          // of the kind an outage gives count toward stopping every request.
          else if (kind === 'transient') this.breaker.failed(error);
          else if (kind !== 'aborted') this.breaker.succeeded();
        }
      }
      classification ??= classify(failure, profile);
      const sleepMs = this.nextTry(request, failure, classification, sentAt, callOptions, attempts);
      if (sleepMs !== undefined) await clock.sleep(sleepMs, signal);
    }
  }

  /**
   * After a failed try: throws the failure for the caller to decide, or says how long to wait
   * before the next (undefined: no wait of its own, as a server-given pause holds every request).
   * Throttles cut the rate or pause every request; transient failures back off within the call's
   * attempts.
   */
  private nextTry(
    request: ApiRequest,
    error: unknown,
    { kind, pauseMs }: Classification,
    sentAt: number,
    callOptions: CallOptions,
    attempts: AttemptCounts,
  ): number | undefined {
    const { random } = this.options;
    if (kind !== 'aborted')
      callOptions.onFailed?.(error instanceof NotSentError ? error.cause : error);
    if (kind === 'throttled') {
      attempts.throttle++;
      let delayMs: number;
      if (pauseMs !== undefined) {
        delayMs = serverPauseDelay(pauseMs, this.options.maxPauseMs, random);
        // A 429's Retry-After also says we were too fast: cut the rate as well as pause.
        if (error instanceof HttpError && error.status === 429)
          this.rate.onThrottled(delayMs, sentAt);
        else this.rate.pauseFor(delayMs);
      } else {
        this.rate.onThrottled(undefined, sentAt);
        delayMs = fullJitterDelay(attempts.throttle - 1, this.options.transientBackoff, random);
      }
      if (this.events.listens('throttled')) {
        this.events.emit('throttled', {
          endpoint: request.endpoint,
          code: codeOf(error),
          delayMs,
          retryAfterMs: pauseMs,
        });
      }
      return pauseMs === undefined ? delayMs : undefined;
    }
    if (kind !== 'transient') throw error;
    if (callOptions.throwOnLostAnswer && isLostAnswer(error)) throw error;
    attempts.transient++;
    if (attempts.transient >= (callOptions.maxAttempts ?? this.options.maxTransientAttempts))
      throw error;
    const delayMs = fullJitterDelay(attempts.transient - 1, this.options.transientBackoff, random);
    if (this.events.listens('retrying')) {
      this.events.emit('retrying', {
        endpoint: request.endpoint,
        code: codeOf(error),
        attempt: attempts.transient,
        delayMs,
      });
    }
    return delayMs;
  }
}

interface AttemptCounts {
  transient: number;
  throttle: number;
}

/** A request not sent because the trial sent for it failed: as that failure, but surely unsent. */
class NotSentError extends NetworkError {}

function notSent(failure: unknown): NotSentError {
  const detail = failure instanceof Error ? failure.message : String(failure);
  return new NotSentError(
    codeOf(failure),
    `Not sent, as the request sent to test the service failed: ${detail}`,
    false,
    failure,
  );
}

export function codeOf(error: unknown): string {
  if (
    error &&
    typeof error === 'object' &&
    typeof (error as { code?: unknown }).code === 'string'
  ) {
    return (error as { code: string }).code;
  }
  return 'UNKNOWN';
}

/**
 * A failure after which the service may have acted on the request: a reset or timeout after
 * sending, a 5xx page (the backend may have finished before the proxy gave up), a garbled 200.
 * A 429 or a refused connection never reached the service's logic.
 */
export function isLostAnswer(error: unknown): boolean {
  if (error instanceof NetworkError) return error.mayHaveReachedServer;
  if (error instanceof HttpError) return error.status >= 500;
  return error instanceof ProtocolError;
}
