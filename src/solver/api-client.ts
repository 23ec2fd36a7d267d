import { HttpError } from '../errors/http-error.js';
import { classify } from '../errors/classify.js';
import { NetworkError } from '../errors/network-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { fullJitterDelay, serverPauseDelay } from '../flow/backoff.js';
import type { RateController } from '../flow/rate-controller.js';
import type { RatePriority } from '../flow/rate-waiter-queue.js';
import { parseAnswerOrThrow, type NotReadyAnswer, type OkAnswer } from '../protocol/index.js';
import type { ApiRequest, ApiResponse } from '../transport/types.js';
import type { SolverEvents } from './events.js';
import type { ResolvedSolverOptions } from './options.js';
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
  constructor(
    private readonly options: ResolvedSolverOptions,
    private readonly events: TypedEmitter<SolverEvents>,
    readonly rate: RateController,
    /** A separate ceiling for in.php, where a service bans bursts of submits (MAX_USER_TURN). */
    readonly submitRate?: RateController,
  ) {}

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
    const { clock, random, profile, transport } = this.options;
    const { signal } = callOptions;
    const priority = callOptions.priority ?? 'account';
    let transientAttempt = 0;
    let throttleAttempt = 0;
    for (;;) {
      if (request.endpoint === 'in.php') await this.submitRate?.acquire(priority, signal);
      await this.rate.acquire(priority, signal);
      const sentAt = clock.now();
      callOptions.onSending?.();
      try {
        let response: ApiResponse;
        try {
          response = await transport.send(request, signal ? { signal } : {});
        } catch (error) {
          callOptions.onAnswered?.(submitFailureOutcome(error));
          throw error;
        }
        callOptions.onAnswered?.(submitOutcomeOf(response));
        if (response.status !== 429) this.rate.onAnswered(sentAt);
        return parse(response, clock.now());
      } catch (error) {
        const { kind, pauseMs } = classify(error, profile);
        if (kind === 'aborted') throw error;
        callOptions.onFailed?.(error);
        if (kind === 'throttled') {
          throttleAttempt++;
          let delayMs: number;
          if (pauseMs !== undefined) {
            delayMs = serverPauseDelay(pauseMs, this.options.maxPauseMs, random);
            // A 429's Retry-After also says we were too fast: cut the rate as well as pause.
            if (error instanceof HttpError && error.status === 429)
              this.rate.onThrottled(delayMs, sentAt);
            else this.rate.pauseFor(delayMs);
          } else {
            this.rate.onThrottled(undefined, sentAt);
            delayMs = fullJitterDelay(throttleAttempt - 1, this.options.transientBackoff, random);
          }
          if (this.events.listens('throttled')) {
            this.events.emit('throttled', {
              endpoint: request.endpoint,
              code: codeOf(error),
              delayMs,
              retryAfterMs: pauseMs,
            });
          }
          if (pauseMs === undefined) await clock.sleep(delayMs, signal);
          continue;
        }
        if (kind !== 'transient') throw error;
        if (callOptions.throwOnLostAnswer && isLostAnswer(error)) throw error;
        transientAttempt++;
        if (transientAttempt >= (callOptions.maxAttempts ?? this.options.maxTransientAttempts))
          throw error;
        const delayMs = fullJitterDelay(
          transientAttempt - 1,
          this.options.transientBackoff,
          random,
        );
        if (this.events.listens('retrying')) {
          this.events.emit('retrying', {
            endpoint: request.endpoint,
            code: codeOf(error),
            attempt: transientAttempt,
            delayMs,
          });
        }
        await clock.sleep(delayMs, signal);
      }
    }
  }
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
