import type { ApiEndpoint } from '../errors/api-error.js';
import type { ErrorKind } from '../errors/classify.js';
import type { BreakerChange } from '../flow/outage-breaker.js';
import type { RateChangedEvent } from '../flow/rate-controller-types.js';
import type { RefusalCause } from '../flow/platform/refusal-cause.js';
import type { TypeBusyInfo, TypeOpenInfo } from '../flow/platform/type-gate.js';
import type { LimitChange } from '../flow/slot-controller.js';

/**
 * Everything the solver reports, with numbers that metrics and progress displays need. Each
 * payload is plain data; no event carries the API key.
 */
export interface SolverEvents {
  /** in.php accepted a task. */
  submitted: { taskId: string; method: string; attempt: number; inFlight: number };
  /**
   * in.php refused for capacity; the task will retry after `delayMs`. `cause` says which limit
   * refused it, as read from what the client saw: the account's threads, or the platform's
   * workers for the task's CAPTCHA type (`type`).
   */
  rejected: {
    method: string;
    type: string;
    cause: RefusalCause;
    code: string;
    attempt: number;
    inFlight: number;
    delayMs: number;
  };
  /**
   * The platform refuses a CAPTCHA type: all its workers busy (`reason: 'busy'`, the type backs off
   * and tries again in `retryInMs`; sent at each failed try) or held below the account's threads
   * (`'capped'` at `cap`). Other types go on meanwhile.
   */
  'type-busy': TypeBusyInfo & { cause: 'platform' };
  /** A busy type was accepted again after `busyForMs`: its waiting tasks go on. */
  'type-open': TypeOpenInfo & { cause: 'platform' };
  /** A rate limit or ban answered (429, MAX_USER_TURN, ERROR: 100x); requests pause `delayMs`. */
  throttled: {
    endpoint: ApiEndpoint;
    code: string;
    delayMs: number;
    retryAfterMs: number | undefined;
  };
  /**
   * The service failed several requests in a row (5xx, HTML pages, resets, garbled answers,
   * timeouts): every request of the account waits `pauseMs`, then one trial goes alone
   * (`state: 'open'`, again after each failed trial, for longer). A good answer ends it
   * (`'closed'`) and the waiting requests go on.
   */
  outage: BreakerChange;
  /** A transient failure (5xx, HTML page, reset) will be retried after `delayMs`. */
  retrying: { endpoint: ApiEndpoint; code: string; attempt: number; delayMs: number };
  /** A submit's answer was lost: the service may hold a task that the client never learnt of. */
  ambiguous: { method: string; code: string; resubmitted: boolean };
  /** One res.php get: `taskIds` polled, `ready` of them finished. */
  polled: { taskIds: readonly string[]; ready: number };
  solved: { taskId: string; method: string; elapsedMs: number; polls: number };
  failed: { taskId: string | undefined; method: string; code: string; kind: ErrorKind | 'timeout' };
  /** The estimate of the account's thread limit moved (discovery, a rejection, a probe). */
  'limit-changed': LimitChange;
  /** The allowed request rate moved (a 429 cut it, recovery grew it, a server pause). */
  'rate-changed': RateChangedEvent;
  /** Batch polling (`ids=`) was found to work, or not. */
  'poll-mode': { mode: 'batch' | 'single'; reason: string };
  /**
   * A listener of `event` threw `error`. The solve goes on regardless; with no listener here the
   * error is thrown again on its own (an uncaught exception, as EventTarget reports one), so a bug
   * in a listener is never silent.
   */
  'listener-error': { event: string; error: unknown };
}
