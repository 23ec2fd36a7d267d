import { ManualClock } from '../time/manual-clock.js';
import { NetworkError } from '../errors/network-error.js';
import type { RecaptchaV2Task } from '../protocol/index.js';
import type { ApiRequest, ApiResponse, Transport } from '../transport/types.js';

/** A scripted answer: a response, or a function of the request, or a network failure. */
export type Script = ApiResponse | ((req: ApiRequest) => ApiResponse) | { reset: boolean };

/**
 * A transport that answers from per-endpoint scripts, for unit tests of retry decisions that a
 * full simulator would make hard to provoke exactly. Records every request it saw.
 */
export class ScriptedTransport implements Transport {
  readonly seen: ApiRequest[] = [];
  /** When each request was seen, on `clock` if one was given. */
  readonly seenAt: number[] = [];
  private readonly scripts = new Map<string, Script[]>();

  constructor(readonly clock: ManualClock = new ManualClock(1_000_000)) {}

  script(endpoint: string, ...answers: Script[]): this {
    this.scripts.set(endpoint, [...(this.scripts.get(endpoint) ?? []), ...answers]);
    return this;
  }

  send(req: ApiRequest): Promise<ApiResponse> {
    this.seen.push(req);
    this.seenAt.push(this.clock.now());
    const key = req.endpoint === 'res.php' ? `res.php:${req.params.action ?? ''}` : req.endpoint;
    const queue = this.scripts.get(key) ?? [];
    const next = queue.length > 1 ? queue.shift() : queue[0];
    if (!next) return Promise.reject(new Error(`no script for ${key}`));
    if ('reset' in next)
      return Promise.reject(new NetworkError('ECONNRESET', 'socket reset', next.reset));
    return Promise.resolve(typeof next === 'function' ? next(req) : next);
  }
}

export function json(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): ApiResponse {
  return { status, headers, body: JSON.stringify(body) };
}

export function text(
  body: string,
  status = 200,
  headers: Record<string, string> = {},
): ApiResponse {
  return { status, headers, body };
}

export const KEY = 'SECRETKEY0000000000000000000XYZW';
export const V2: RecaptchaV2Task = {
  method: 'userrecaptcha',
  googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
  pageurl: 'https://example.com',
};
