import { AbortError } from './abort-error.js';
import { ApiError } from './api-error.js';
import { isCaptchaAIError } from './captchaai-error.js';
import { HttpError } from './http-error.js';
import { NetworkError } from './network-error.js';
import { ProtocolError } from './protocol-error.js';
import { TimeoutError } from './timeout-error.js';

/** Whose meaning of the codes applies; the same union as `ServiceProfile` in src/solver. */
export type ClassifyProfile = 'captchaai' | '2captcha';

/**
 * What to do about an error:
 * - `capacity`: no free thread; wait for one of ours to finish (or back off) and retry.
 * - `throttled`: we asked too fast; pause (for `pauseMs` when the service says how long) and retry.
 * - `transient`: the service or the network hiccupped; retry the same request after a short delay.
 * - `fatal-account`: the key, the IP or the money is wrong; every task will fail the same way.
 * - `fatal-task`: this task cannot succeed as sent; other tasks may.
 * - `aborted`: the caller cancelled; stop quietly.
 */
export type ErrorKind =
  'capacity' | 'throttled' | 'transient' | 'fatal-account' | 'fatal-task' | 'aborted';

export interface Classification {
  kind: ErrorKind;
  /** A pause the service documents or announces (ban duration, `Retry-After`), in ms. */
  pauseMs?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * 2captcha's documented block times, honoured whichever service sends them
 * (docs/protocol.md, "2captcha bans").
 */
const THROTTLE_PAUSES: Readonly<Record<string, number>> = Object.freeze({
  MAX_USER_TURN: 10 * SECOND,
  'ERROR: 1001': 10 * MINUTE,
  'ERROR: 1002': 5 * MINUTE,
  'ERROR: 1003': 30 * SECOND,
  'ERROR: 1004': 10 * MINUTE,
  'ERROR: 1005': 5 * MINUTE,
});

/**
 * CaptchaAI documents that IP_BANNED lifts after 5 minutes
 * (docs/protocol.md, "IP ban for wrong keys").
 */
const IP_BAN_MS = 5 * MINUTE;

const FATAL_ACCOUNT_CODES = new Set([
  'ERROR_WRONG_USER_KEY',
  'ERROR_KEY_DOES_NOT_EXIST',
  'ERROR_IP_NOT_ALLOWED',
]);
const TRANSIENT_CODES = new Set(['ERROR_SERVER_ERROR', 'ERROR_INTERNAL_SERVER_ERROR']);

/**
 * Decides what an error means for retrying. Pure, and the only place that makes this decision, so
 * the solver, the batch runner and the CLI cannot disagree. Errors from another copy of this
 * library (a duplicate install) are recognised by their brand and class name, since `instanceof`
 * fails across copies.
 */
export function classify(error: unknown, profile: ClassifyProfile): Classification {
  const kind = errorClass(error);
  switch (kind) {
    case 'AbortError':
      return { kind: 'aborted' };
    case 'TimeoutError':
      return { kind: 'fatal-task' };
    case 'HttpError':
      return classifyHttp(error as HttpError);
    case 'ProtocolError':
    case 'NetworkError':
      return { kind: 'transient' };
    case 'ApiError':
      return classifyCode((error as ApiError).code, profile);
    default:
      return { kind: 'fatal-task' };
  }
}

/** Classifies a bare service code, as found in `ApiError.code` or an error answer. */
export function classifyCode(code: string, profile: ClassifyProfile): Classification {
  const normalised = normaliseCode(code);
  if (normalised === 'ERROR_NO_SLOT_AVAILABLE') return { kind: 'capacity' };
  if (normalised === 'ERROR_ZERO_BALANCE') {
    // CaptchaAI's docs: "You don't have free threads." 2captcha: no money.
    return profile === 'captchaai' ? { kind: 'capacity' } : { kind: 'fatal-account' };
  }
  // MAX_USER_TURN and ERROR: 100x are 2captcha's, but whichever service sends them means the same.
  const pauseMs = THROTTLE_PAUSES[normalised];
  if (pauseMs !== undefined) return { kind: 'throttled', pauseMs };
  if (normalised === 'ERROR_TOO_MUCH_REQUESTS') return { kind: 'throttled' };
  if (TRANSIENT_CODES.has(normalised)) return { kind: 'transient' };
  if (normalised === 'IP_BANNED' || normalised === 'ERROR_IP_BANNED') {
    // Every request fails until the ban lifts; the caller may wait it out or stop.
    return { kind: 'fatal-account', pauseMs: IP_BAN_MS };
  }
  if (FATAL_ACCOUNT_CODES.has(normalised)) return { kind: 'fatal-account' };
  return { kind: 'fatal-task' };
}

/** True for the kinds where sending again (after the pause) can succeed. */
export function isRetryable(kind: ErrorKind): boolean {
  return kind === 'capacity' || kind === 'throttled' || kind === 'transient';
}

function classifyHttp(error: HttpError): Classification {
  const retryAfter = error.retryAfterMs;
  const pause =
    typeof retryAfter === 'number' && Number.isFinite(retryAfter) ? { pauseMs: retryAfter } : {};
  if (error.status === 429) return { kind: 'throttled', ...pause };
  // 5xx and any other non-200: the docs say such pages are rare and to retry after a few seconds.
  return { kind: 'transient', ...pause };
}

type KnownClass =
  'AbortError' | 'TimeoutError' | 'HttpError' | 'ProtocolError' | 'NetworkError' | 'ApiError';

function errorClass(error: unknown): KnownClass | undefined {
  if (error instanceof AbortError) return 'AbortError';
  if (error instanceof TimeoutError) return 'TimeoutError';
  if (error instanceof HttpError) return 'HttpError';
  if (error instanceof ProtocolError) return 'ProtocolError';
  if (error instanceof NetworkError) return 'NetworkError';
  if (error instanceof ApiError) return 'ApiError';
  if (isCaptchaAIError(error)) {
    const name = error.name;
    if (name === 'HttpError' && typeof (error as Partial<HttpError>).status !== 'number')
      return undefined;
    const known: readonly string[] = [
      'AbortError',
      'TimeoutError',
      'HttpError',
      'ProtocolError',
      'NetworkError',
      'ApiError',
    ];
    return known.includes(name) ? (name as KnownClass) : undefined;
  }
  // fetch rejects with a DOMException named AbortError when the caller's signal aborts; a
  // transport should wrap it, but one that does not still means "stop", not "retry".
  if (error instanceof Error && error.name === 'AbortError') return 'AbortError';
  return undefined;
}

/** `ERROR:1001`, ` ERROR: 1001 ` and `ERROR: 1001` are the same code. */
function normaliseCode(code: string): string {
  const trimmed = code.trim();
  const numbered = /^ERROR:\s*(\d+)$/.exec(trimmed);
  return numbered ? `ERROR: ${numbered[1]}` : trimmed;
}
