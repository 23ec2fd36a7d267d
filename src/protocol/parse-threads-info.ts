import { ProtocolError } from '../errors/protocol-error.js';
import type { ThreadsInfo } from '../solver/types.js';
import type { ApiResponse } from '../transport/types.js';
import type { Answer } from './answer.js';
import { isPlainObject } from './encode-value.js';
import { answerError, parseAnswer } from './parse-answer.js';

/**
 * Reads the account's threads from a `threadsinfo` answer. Neither the request nor the answer is
 * documented (docs/protocol.md, "Thread count (threadsinfo)"), so every plausible form is read:
 * the numbers as top-level JSON fields, inside `request` as an object or a JSON string, as
 * `threads=5,working_threads=2,free_threads=3` text, or as `5|2|3` (threads, working, free). Two
 * of the three numbers are enough; the third is derived. Returns undefined when the answer does
 * not contain them, so the caller can fall back to its configured limit.
 */
export function parseThreadsInfo(answer: Answer): ThreadsInfo | undefined {
  if (answer.kind !== 'ok') return undefined;
  for (const fields of candidates(answer)) {
    const info = fromFields(fields);
    if (info !== undefined) return info;
  }
  return undefined;
}

/**
 * parseThreadsInfo straight from the response, for the text forms that are not answers in the
 * usual sense (`threads=5,...` and `5|2|3` without `OK|`). Throws HttpError, ApiError for an
 * error code (a service without threadsinfo answers one), ProtocolError for an HTML page or
 * garbage; returns undefined for an answer without the numbers.
 */
export function parseThreadsInfoResponse(
  response: ApiResponse,
  nowMs: number,
): ThreadsInfo | undefined {
  let answer: Answer;
  try {
    answer = parseAnswer(response, 'res.php', nowMs);
  } catch (error) {
    const body = response.body.trim();
    if (!(error instanceof ProtocolError) || body.startsWith('{') || body.startsWith('<'))
      throw error;
    const info = parseThreadsInfo({ kind: 'ok', value: body, extra: {} });
    if (info === undefined) throw error;
    return info;
  }
  if (answer.kind === 'error') throw answerError(answer, 'res.php');
  return parseThreadsInfo(answer);
}

function* candidates(answer: Extract<Answer, { kind: 'ok' }>): Generator<Record<string, unknown>> {
  yield answer.extra;
  const { value } = answer;
  if (isPlainObject(value)) {
    yield value;
    return;
  }
  if (typeof value !== 'string') return;
  const text = value.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isPlainObject(parsed)) yield parsed;
    } catch {
      // Not JSON after all; the other forms below cannot match a `{` either.
    }
    return;
  }
  const pairs = keyValuePairs(text);
  if (pairs !== undefined) yield pairs;
  const numbers = text.split('|');
  if (numbers.length === 3) {
    const [threads, working, free] = numbers;
    yield { threads, working_threads: working, free_threads: free };
  }
}

/** `threads=5,working_threads=2,free_threads=3` (also `:` and `;`/`&`/space separators). */
function keyValuePairs(text: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  for (const part of text.split(/[,;&\s]+/)) {
    const match = /^([A-Za-z_]+)\s*[=:]\s*(.*)$/.exec(part);
    if (!match) return undefined;
    fields[match[1] ?? ''] = match[2] ?? '';
  }
  return fields;
}

function fromFields(fields: Record<string, unknown>): ThreadsInfo | undefined {
  const threads = count(fields['threads'] ?? fields['total_threads']);
  let working = count(fields['working_threads'] ?? fields['working']);
  let free = count(fields['free_threads'] ?? fields['free']);
  if (threads === undefined) return undefined;
  if (working === undefined && free === undefined) return undefined;
  working ??= Math.max(0, threads - (free ?? 0));
  free ??= Math.max(0, threads - working);
  return { threads, working, free, raw: { ...fields } };
}

function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
