import type { Clock } from '../time/clock.js';
import type { Random } from '../time/random.js';
import type { ApiResponse } from '../transport/types.js';
import type { FaultOptions } from './options.js';
import { badGateway } from './reply.js';
import type { FaultCounts } from './stats.js';

/** handle() plus transport faults: an answer, or a connection dropped without one. */
export type Served = { response: ApiResponse } | { reset: true };

/** What goes wrong with one request on the way to or from the service. */
export interface FaultPlan {
  fault: 'none' | 'html502' | 'reset';
  /** The fault strikes after the service processed the request. */
  afterProcessing: boolean;
  /** Extra delay before the answer leaves. */
  slowMs: number;
  /** Cut a JSON answer in half. */
  truncate: boolean;
}

export const NO_FAULT: Readonly<FaultPlan> = Object.freeze({
  fault: 'none',
  afterProcessing: false,
  slowMs: 0,
  truncate: false,
});

/** True when no fault can ever strike, so no random draws are spent. */
export function faultFree(f: Required<FaultOptions>): boolean {
  return (
    f.html502 === 0 &&
    f.reset === 0 &&
    f.truncatedJson === 0 &&
    (f.slowRate === 0 || f.slowMs === 0)
  );
}

/** Draws one request's faults: always four draws, so the stream stays aligned across runs. */
export function planFault(f: Required<FaultOptions>, random: Random): FaultPlan {
  if (faultFree(f)) return NO_FAULT;
  const kind = random();
  const after = random();
  const slow = random();
  const truncate = random();
  return {
    fault: kind < f.html502 ? 'html502' : kind < f.html502 + f.reset ? 'reset' : 'none',
    afterProcessing: after < f.afterProcessing,
    slowMs: slow < f.slowRate ? f.slowMs : 0,
    truncate: truncate < f.truncatedJson,
  };
}

/** The first half of a JSON body (status 200): an answer no JSON parser accepts. */
export function truncateJson(response: ApiResponse): ApiResponse | undefined {
  const body = response.body;
  if (!body.startsWith('{') || body.length < 2) return undefined;
  return { ...response, body: body.slice(0, Math.floor(body.length / 2)) };
}

/**
 * Runs `handle` under a fault plan. Before processing, a reset or 502 means the service never saw
 * the request; after it, the work is done (a task may exist) but the answer is lost or replaced.
 */
export async function withFaults(
  plan: FaultPlan,
  counts: FaultCounts | undefined,
  handle: () => Promise<ApiResponse>,
  clock: Clock,
  signal: AbortSignal | undefined,
): Promise<Served> {
  if (plan.fault !== 'none' && !plan.afterProcessing) {
    if (counts) counts[plan.fault === 'reset' ? 'resetBefore' : 'html502']++;
    return plan.fault === 'reset' ? { reset: true } : { response: badGateway() };
  }
  let response = await handle();
  if (plan.fault === 'reset') {
    if (counts) counts.resetAfter++;
    return { reset: true };
  }
  const cut = plan.truncate ? truncateJson(response) : undefined;
  if (plan.fault === 'html502') {
    if (counts) counts.html502++;
    response = badGateway();
  } else if (cut) {
    if (counts) counts.truncatedJson++;
    response = cut;
  }
  if (plan.slowMs > 0) {
    if (counts) counts.slow++;
    await clock.sleep(plan.slowMs, signal);
  }
  return { response };
}
