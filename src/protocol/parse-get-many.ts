import { ProtocolError } from '../errors/protocol-error.js';
import type { ApiResponse } from '../transport/types.js';
import {
  isNotReady,
  isTextErrorCode,
  normaliseErrorCode,
  type Answer,
  type ErrorAnswer,
} from './answer.js';
import { isPlainObject } from './encode-value.js';
import { parseJsonEnvelope } from './json-envelope.js';
import { assertHttpOk, describeGarbage, jsonAnswer } from './parse-answer.js';

/**
 * A batch poll's outcome: one answer per id, or one error for the whole request. `unsupported`
 * marks the codes a service without `ids=` support answers (it reads the missing `id` instead),
 * so the caller falls back to polling one id at a time; other whole errors (a bad key) are
 * classified as usual.
 */
export type GetManyResult =
  | { kind: 'answers'; answers: Map<string, Answer> }
  | (Omit<ErrorAnswer, 'kind'> & { kind: 'error'; unsupported: boolean });

/** Codes that mean "this service does not understand ids=". */
const UNSUPPORTED_CODES: ReadonlySet<string> = new Set([
  'ERROR_WRONG_ID_FORMAT',
  'ERROR_WRONG_CAPTCHA_ID',
  'ERROR_NO_SUCH_CAPCHA_ID',
  'ERROR_BAD_PARAMETERS',
]);

/**
 * Reads the answer to `action=get&ids=a,b,c`: text `a|CAPCHA_NOT_READY|c` in id order (a leading
 * `OK|` is tolerated), or JSON with `request` as that string or as an array. An answer with `|`
 * in it makes the part count wrong; a count that does not match `ids` throws ProtocolError, and
 * the caller falls back to single polls, which cannot be confused that way.
 */
export function parseGetMany(
  response: ApiResponse,
  ids: readonly string[],
  nowMs: number,
): GetManyResult {
  assertHttpOk(response, 'res.php', nowMs);
  const body = response.body.trim();
  if (body.startsWith('{')) return jsonGetMany(body, ids);
  if (body === '') throw new ProtocolError('res.php answered an empty body to a batch poll');
  if (isTextErrorCode(body))
    return codeForAll({ kind: 'error', code: normaliseErrorCode(body) }, ids);
  if (body.startsWith('<')) throw new ProtocolError(`res.php answered ${describeGarbage(body)}`);
  return { kind: 'answers', answers: mapParts(textParts(body, ids.length), ids) };
}

function jsonGetMany(body: string, ids: readonly string[]): GetManyResult {
  const envelope = parseJsonEnvelope(body, 'res.php');
  const single =
    envelope.status === 0 ||
    (typeof envelope.request === 'string' && isNotReady(envelope.request.trim()));
  if (single) {
    const answer = jsonAnswer(envelope, 'res.php');
    // Nothing ready yet: the service may say so once for all of them.
    if (answer.kind === 'not-ready')
      return { kind: 'answers', answers: new Map(ids.map((id) => [id, answer])) };
    if (answer.kind === 'error') return codeForAll(answer, ids);
  }
  const { request } = envelope;
  if (typeof request === 'string')
    return { kind: 'answers', answers: mapParts(textParts(request.trim(), ids.length), ids) };
  if (Array.isArray(request)) return { kind: 'answers', answers: mapParts(request, ids) };
  throw new ProtocolError(
    'res.php answered a batch poll with a request that is neither a string nor an array',
  );
}

/**
 * One code for the whole request. With a single id it is that task's answer (ERROR_CAPTCHA_UNSOLVABLE
 * for it), unless it is a code that means the batch form itself was not understood.
 */
function codeForAll(answer: ErrorAnswer, ids: readonly string[]): GetManyResult {
  const unsupported = UNSUPPORTED_CODES.has(answer.code);
  if (ids.length === 1 && !unsupported)
    return { kind: 'answers', answers: new Map(ids.map((id) => [id, answer])) };
  const result: GetManyResult = { kind: 'error', code: answer.code, unsupported };
  if (answer.errorText !== undefined) result.errorText = answer.errorText;
  return result;
}

/**
 * Splits on `|`. The documented form has no `OK|` prefix, but some services add one; it is
 * dropped only when that makes the count right, since a first answer may itself be "OK".
 */
function textParts(text: string, expected: number): string[] {
  const parts = text.split('|');
  if (parts.length !== expected && parts[0] === 'OK' && parts.length - 1 === expected)
    return parts.slice(1);
  return parts;
}

function mapParts(parts: readonly unknown[], ids: readonly string[]): Map<string, Answer> {
  if (parts.length !== ids.length) {
    throw new ProtocolError(
      `res.php answered ${parts.length} results to a batch poll of ${ids.length} ids`,
    );
  }
  const answers = new Map<string, Answer>();
  ids.forEach((id, index) => answers.set(id, partAnswer(parts[index])));
  return answers;
}

function partAnswer(part: unknown): Answer {
  if (typeof part === 'number' && Number.isFinite(part))
    return { kind: 'ok', value: part, extra: {} };
  if (isPlainObject(part)) return { kind: 'ok', value: part, extra: {} };
  if (typeof part !== 'string')
    throw new ProtocolError('res.php answered a batch poll with a result of an unusable type');
  const text = part.trim();
  if (text === '') throw new ProtocolError('res.php answered a batch poll with an empty result');
  if (isNotReady(text)) return { kind: 'not-ready' };
  if (isTextErrorCode(text)) return { kind: 'error', code: normaliseErrorCode(text) };
  return { kind: 'ok', value: text, extra: {} };
}
