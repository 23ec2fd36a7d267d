import type { ApiRequest } from '../transport/types.js';

/** The fields of one request's log line. */
export interface RequestLine {
  endpoint: string;
  /** res.php's `action` (get, getbalance, reportgood, threadsinfo, ...). */
  action?: string;
  /** in.php's CAPTCHA method. */
  method?: string;
  /** The task id (or ids, comma-separated) a res.php request is about. */
  taskId?: string;
  httpMethod: string;
  /** The HTTP status; absent when no answer came (a reset, a timeout). */
  status?: number;
  /** `OK`, `CAPCHA_NOT_READY`, or the failure's code (an API error code, HTTP_502, ECONNRESET). */
  outcome: string;
  /** From sending to the answer (or the failure), on the solver's clock. */
  ms: number;
}

/**
 * One request's line, from a few named parameters only: a request's parameters hold the key, so
 * they are never logged as they are (nor is the URL, whose query may carry them).
 */
export function requestLine(
  request: ApiRequest,
  answer: { status: number | undefined; outcome: string; ms: number },
): RequestLine {
  const { params } = request;
  const line: RequestLine = {
    endpoint: request.endpoint,
    httpMethod: request.httpMethod,
    outcome: answer.outcome,
    ms: answer.ms,
  };
  if (answer.status !== undefined) line.status = answer.status;
  if (request.endpoint === 'in.php') {
    if (params.method !== undefined) line.method = params.method;
  } else if (params.action !== undefined) {
    line.action = params.action;
  }
  const taskId = params.ids ?? params.id;
  if (taskId !== undefined) line.taskId = taskId;
  return line;
}

/** What an answer the parser took says: `OK`, or `CAPCHA_NOT_READY` for a task not done yet. */
export function answerOutcome(value: unknown): string {
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  return kind === 'not-ready' ? 'CAPCHA_NOT_READY' : 'OK';
}
