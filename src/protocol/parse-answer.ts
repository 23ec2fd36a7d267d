import { ApiError, type ApiEndpoint } from '../errors/api-error.js';
import { HttpError } from '../errors/http-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type { ApiResponse } from '../transport/types.js';
import {
  isJsonErrorCode,
  isNotReady,
  isTextErrorCode,
  normaliseErrorCode,
  redactSecrets,
  type Answer,
  type ErrorAnswer,
  type NotReadyAnswer,
  type OkAnswer,
} from './answer.js';
import { isPlainObject } from './encode-value.js';
import { parseJsonEnvelope, type JsonEnvelope } from './json-envelope.js';
import { retryAfterOf } from './retry-after.js';

/**
 * Reads one answer of in.php, res.php or solve.php, in either form (`json=1` or text), because
 * compatible services differ and even CaptchaAI answers reports with an empty text body.
 * Throws HttpError for any status but 200 (with `Retry-After` in ms) and ProtocolError for a body
 * that is no recognisable answer (HTML error page, truncated JSON, garbage). Error codes are
 * returned, not thrown; see parseAnswerOrThrow. Messages never quote the request, and quote the
 * body only as redacted `error_text`.
 */
export function parseAnswer(response: ApiResponse, endpoint: ApiEndpoint, nowMs: number): Answer {
  assertHttpOk(response, endpoint, nowMs);
  const body = response.body.trim();
  if (body === '') {
    // A report's answer on CaptchaAI. A submit must return an id, so there it is garbage.
    if (endpoint === 'res.php') return { kind: 'ok', value: '', extra: {} };
    throw new ProtocolError(`${endpoint} answered an empty body`);
  }
  if (body.startsWith('{')) return jsonAnswer(parseJsonEnvelope(body, endpoint), endpoint);
  return textAnswer(body, endpoint);
}

/** As parseAnswer, but an error code is thrown as an ApiError carrying the code. */
export function parseAnswerOrThrow(
  response: ApiResponse,
  endpoint: ApiEndpoint,
  nowMs: number,
): OkAnswer | NotReadyAnswer {
  const answer = parseAnswer(response, endpoint, nowMs);
  if (answer.kind === 'error') throw answerError(answer, endpoint);
  return answer;
}

/** The ApiError for an error answer, for callers that hold an Answer (e.g. from a batch poll). */
export function answerError(answer: ErrorAnswer, endpoint: ApiEndpoint): ApiError {
  return new ApiError(answer.code, endpoint, answer.errorText);
}

/** Throws HttpError for any status but 200; the service always answers 200 when it works. */
export function assertHttpOk(response: ApiResponse, endpoint: ApiEndpoint, nowMs: number): void {
  if (response.status === 200) return;
  const retryAfterMs = retryAfterOf(response.headers, nowMs);
  throw new HttpError(response.status, retryAfterMs, `${endpoint} did not answer 200`);
}

/** The JSON form. `CAPCHA_NOT_READY` comes with status 0, so `request` is read before `status`. */
export function jsonAnswer(envelope: JsonEnvelope, endpoint: ApiEndpoint): Answer {
  const { status, request, errorText, extra } = envelope;
  if (typeof request === 'string' && isNotReady(request.trim())) return { kind: 'not-ready' };
  if (status === 0) {
    const code = typeof request === 'string' ? request.trim() : '';
    if (!isJsonErrorCode(code))
      throw new ProtocolError(`${endpoint} answered status 0 without an error code`);
    const answer: ErrorAnswer = { kind: 'error', code: normaliseErrorCode(code) };
    if (errorText !== undefined && errorText.trim() !== '')
      answer.errorText = redactSecrets(errorText.trim());
    return answer;
  }
  // threadsinfo may put its numbers at the top level with no `request` at all.
  if (request === undefined || request === null) return { kind: 'ok', value: '', extra };
  if (typeof request === 'string' || (typeof request === 'number' && Number.isFinite(request))) {
    return { kind: 'ok', value: request, extra };
  }
  if (isPlainObject(request)) return { kind: 'ok', value: request, extra };
  throw new ProtocolError(
    `${endpoint} answered status 1 with a request that is not a string, number or object`,
  );
}

/** The text form: `OK|value`, `OK`, bare codes, `CAPCHA_NOT_READY`, a bare balance. */
function textAnswer(body: string, endpoint: ApiEndpoint): Answer {
  if (body.startsWith('OK|')) return { kind: 'ok', value: body.slice(3), extra: {} };
  if (body === 'OK' || body === 'OK_REPORT_RECORDED') return { kind: 'ok', value: body, extra: {} };
  if (isNotReady(body)) return { kind: 'not-ready' };
  if (isTextErrorCode(body)) return { kind: 'error', code: normaliseErrorCode(body) };
  if (/^-?\d+(?:\.\d+)?$/.test(body)) return { kind: 'ok', value: body, extra: {} };
  throw new ProtocolError(`${endpoint} answered ${describeGarbage(body)}`);
}

/** Says what a body looked like without quoting it: it could echo the request, key included. */
export function describeGarbage(body: string): string {
  if (/^<(?:!doctype|html|head|body|\?xml)/i.test(body) || /<html[\s>]/i.test(body)) {
    return `an HTML page (${body.length} characters)`;
  }
  return `text that is not an answer (${body.length} characters)`;
}
