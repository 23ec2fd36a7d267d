import type { ApiEndpoint } from '../errors/api-error.js';
import type { ApiRequest } from '../transport/types.js';
import { encodeTask } from './encode-task.js';
import type { AnyTask } from './tasks/task.js';

/** The res.php actions besides `get`. */
export type ResAction = 'getbalance' | 'reportgood' | 'reportbad' | 'threadsinfo';

/**
 * The in.php request for a task: POST, multipart when it carries an upload (`method=post`),
 * urlencoded otherwise (the transport decides from `file`). Always `json=1`, because the JSON
 * form carries extras (`user_agent`, cookies) that the text form drops. Does not validate; call
 * validateTask first.
 */
export function encodeSubmit(task: AnyTask, key: string): ApiRequest {
  return taskRequest('in.php', task, key);
}

/** The CaptchaAI-only `/solve.php` request: submit and answer in one call, same body as in.php. */
export function encodeSolveNow(task: AnyTask, key: string): ApiRequest {
  return taskRequest('solve.php', task, key);
}

/** Polls one task. GET, the legacy documented form of res.php. */
export function encodeGet(id: string, key: string): ApiRequest {
  return resRequest({ key, action: 'get', id, json: '1' });
}

/** Polls many tasks at once (`ids=a,b,c`); a 2captcha feature that CaptchaAI may not have. */
export function encodeGetMany(ids: readonly string[], key: string): ApiRequest {
  return resRequest({ key, action: 'get', ids: ids.join(','), json: '1' });
}

/**
 * Any other res.php action. `params` carries e.g. `id` for reports; it cannot override `key`,
 * `action` or `json`.
 */
export function encodeAction(
  action: ResAction,
  key: string,
  params: Readonly<Record<string, string>> = {},
): ApiRequest {
  return resRequest({ ...params, key, action, json: '1' });
}

function taskRequest(endpoint: ApiEndpoint, task: AnyTask, key: string): ApiRequest {
  const { params, file } = encodeTask(task);
  const request: ApiRequest = {
    endpoint,
    httpMethod: 'POST',
    params: { ...params, key, json: '1' },
  };
  if (file !== undefined) request.file = file;
  return request;
}

function resRequest(params: Record<string, string>): ApiRequest {
  return { endpoint: 'res.php', httpMethod: 'GET', params };
}
