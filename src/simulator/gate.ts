import type { ApiRequest, ApiResponse } from '../transport/types.js';
import type { Account } from './account.js';
import type { Reply } from './reply.js';
import { handleResult } from './results.js';
import type { Call, HandleContext, Service } from './service.js';
import { handleSolve, handleSubmit } from './submit.js';
import { retryAfterValue, throttleWindowLeft, type IpGuard } from './throttle.js';

/** A 429: not a processed request, so nothing but the counter changes. */
function tooMany(
  service: Service,
  reply: Reply,
  account: Account | undefined,
  now: number,
  waitMs: number,
): ApiResponse {
  if (account) account.counters.http429++;
  const serviceNow = now + service.options.clockSkewMs;
  return reply.tooManyRequests(retryAfterValue(service.options.retryAfter, serviceNow, waitMs));
}

/**
 * The checks every request passes, in order, before its endpoint runs: throttle windows (429),
 * the IP ban, the key (malformed → ERROR_WRONG_USER_KEY, unknown → ERROR_KEY_DOES_NOT_EXIST,
 * both counted towards the IP ban), the per-key rate limit (429), then the endpoint.
 */
export function route(
  service: Service,
  ipGuard: IpGuard,
  startedAt: number,
  request: ApiRequest,
  context: HandleContext,
  account: Account | undefined,
  reply: Reply,
  now: number,
): ApiResponse | Promise<ApiResponse> {
  const ip = context.ip ?? '127.0.0.1';
  const windowLeft = throttleWindowLeft(service.options, startedAt, now);
  if (windowLeft !== undefined) return tooMany(service, reply, account, now, windowLeft);
  if (ipGuard.isBanned(ip, now)) return reply.error(ipGuard.code);
  const key = request.params.key;
  if (!account) {
    ipGuard.recordBadKey(ip, now);
    return reply.error(key?.length === 32 ? 'ERROR_KEY_DOES_NOT_EXIST' : 'ERROR_WRONG_USER_KEY');
  }
  if (account.bucket && !account.bucket.tryTake(now)) {
    return tooMany(service, reply, account, now, account.bucket.waitMs(now));
  }
  if (context.malformedBody && request.endpoint !== 'res.php') return reply.error('ERROR_UPLOAD');
  const call: Call = { service, account, params: request.params, file: request.file, reply, now };
  switch (request.endpoint) {
    case 'in.php':
      return handleSubmit(call);
    case 'res.php':
      return handleResult(call);
    case 'solve.php':
      return handleSolve(call);
    default:
      return reply.error('ERROR_BAD_PARAMETERS');
  }
}
