import { ApiError } from '../errors/api-error.js';
import { classify } from '../errors/classify.js';
import { HttpError } from '../errors/http-error.js';
import { NetworkError } from '../errors/network-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { AccountPause } from '../flow/account-pause.js';
import { fullJitterDelay, serverPauseDelay } from '../flow/backoff.js';
import { parseAnswer } from '../protocol/index.js';
import type { ApiRequest } from '../transport/types.js';
import type { SolverEvents } from './events.js';
import type { ResolvedSolverOptions } from './options.js';
import type { TypedEmitter } from './typed-emitter.js';

/** A successful or not-yet-ready answer; error answers are thrown as ApiError. */
export type CallResult =
  | { kind: 'ok'; value: string | number | Record<string, unknown>; extra: Record<string, unknown> }
  | { kind: 'not-ready' };

export interface CallOptions {
  signal: AbortSignal | undefined;
  /**
   * Throw a failure that may have reached the server (see isLostAnswer) instead of retrying it.
   * Submits set this: resending one whose answer was lost may create a second task.
   */
  throwOnLostAnswer?: boolean;
}

/**
 * One request to the service with the retries every request needs: transient failures (5xx, HTML
 * pages, resets) get full-jitter backoff within a bounded number of attempts; throttles (429,
 * bans) pause every request of the account. Everything else is thrown for the caller to decide.
 */
export class ApiClient {
  readonly pause: AccountPause;

  constructor(
    private readonly options: ResolvedSolverOptions,
    private readonly events: TypedEmitter<SolverEvents>,
  ) {
    this.pause = new AccountPause(options.clock);
  }

  async call(request: ApiRequest, callOptions: CallOptions): Promise<CallResult> {
    const { clock, random, profile, transport } = this.options;
    const { signal } = callOptions;
    let transientAttempt = 0;
    let throttleAttempt = 0;
    for (;;) {
      await this.pause.wait(signal);
      try {
        const response = await transport.send(request, signal ? { signal } : {});
        const answer = parseAnswer(response, request.endpoint, clock.now());
        if (answer.kind === 'error') throw new ApiError(answer.code, request.endpoint, answer.errorText);
        return answer;
      } catch (error) {
        const { kind, pauseMs } = classify(error, profile);
        if (kind === 'throttled') {
          const delayMs =
            pauseMs !== undefined
              ? serverPauseDelay(pauseMs, this.options.maxPauseMs, random)
              : fullJitterDelay(throttleAttempt, this.options.transientBackoff, random) + 1_000;
          throttleAttempt++;
          this.pause.pauseFor(delayMs);
          if (this.events.listens('throttled')) {
            this.events.emit('throttled', { endpoint: request.endpoint, code: codeOf(error), delayMs, retryAfterMs: pauseMs });
          }
          continue;
        }
        if (kind !== 'transient') throw error;
        if (callOptions.throwOnLostAnswer && isLostAnswer(error)) throw error;
        transientAttempt++;
        if (transientAttempt >= this.options.maxTransientAttempts) throw error;
        const delayMs = fullJitterDelay(transientAttempt - 1, this.options.transientBackoff, random);
        if (this.events.listens('retrying')) {
          this.events.emit('retrying', { endpoint: request.endpoint, code: codeOf(error), attempt: transientAttempt, delayMs });
        }
        await clock.sleep(delayMs, signal);
      }
    }
  }
}

export function codeOf(error: unknown): string {
  if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string') {
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
