import type { Transport } from '../../src/transport/types.js';
import type { BenchTask } from '../scenarios/tasks.js';

/** One raw answer, read the way a hand-written client reads it. */
export type RawAnswer =
  | { kind: 'ok'; value: string }
  | { kind: 'not-ready' }
  | { kind: 'error'; code: string }
  | { kind: 'http'; status: number }
  | { kind: 'network' };

/** Codes of a submit refused for lack of a free thread (CaptchaAI, 2captcha). */
const CAPACITY_CODES = new Set(['ERROR_ZERO_BALANCE', 'ERROR_NO_SLOT_AVAILABLE']);

export function isCapacity(answer: RawAnswer): boolean {
  return answer.kind === 'error' && CAPACITY_CODES.has(answer.code);
}

/**
 * `in.php` with `json=1`, as the vendor's guide shows: the task's own fields are the form, so a
 * reCAPTCHA v2 task sends `method=userrecaptcha&googlekey&pageurl` and an image task
 * `method=base64&body`.
 */
export function submit(transport: Transport, key: string, task: BenchTask): Promise<RawAnswer> {
  return send(transport, {
    endpoint: 'in.php',
    httpMethod: 'POST',
    params: { key, json: '1', ...task },
  });
}

/** `res.php?action=get&id=...&json=1`: one task per poll. */
export function poll(transport: Transport, key: string, id: string): Promise<RawAnswer> {
  return send(transport, {
    endpoint: 'res.php',
    httpMethod: 'GET',
    params: { key, action: 'get', id, json: '1' },
  });
}

async function send(
  transport: Transport,
  request: Parameters<Transport['send']>[0],
): Promise<RawAnswer> {
  let status: number;
  let body: string;
  try {
    ({ status, body } = await transport.send(request));
  } catch {
    return { kind: 'network' };
  }
  if (status !== 200) return { kind: 'http', status };
  try {
    const json = JSON.parse(body) as { status?: unknown; request?: unknown };
    const value = String(json.request);
    if (json.status === 1) return { kind: 'ok', value };
    if (value === 'CAPCHA_NOT_READY') return { kind: 'not-ready' };
    return { kind: 'error', code: value };
  } catch {
    return { kind: 'http', status };
  }
}

/** Why a raw answer ends a task, for the failure counts. */
export function failureCode(answer: RawAnswer): string {
  switch (answer.kind) {
    case 'error':
      return answer.code;
    case 'http':
      return `HTTP_${answer.status}`;
    case 'network':
      return 'NETWORK';
    default:
      return answer.kind;
  }
}
