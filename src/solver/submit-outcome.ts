import { NetworkError } from '../errors/network-error.js';
import { parseAnswer } from '../protocol/parse-answer.js';
import type { ApiResponse } from '../transport/types.js';

/** What an in.php answer says about the task: taken, surely not taken, or nobody knows. */
export type SubmitOutcome = 'accepted' | 'refused' | 'unknown';

/**
 * HTTP statuses of an in.php request that the service's logic never processed: a 429 comes from
 * the rate limiter in front of it, a 404 from a path where no service lives (a wrong base URL).
 */
const NOT_PROCESSED_STATUSES: ReadonlySet<number> = new Set([404, 429]);

/** Reads an in.php answer the way the Solver will: an id is acceptance, an error code a refusal. */
export function submitOutcomeOf(response: ApiResponse): SubmitOutcome {
  // Nothing was created: sending it again cannot duplicate a task.
  if (NOT_PROCESSED_STATUSES.has(response.status)) return 'refused';
  if (response.status !== 200) return 'unknown';
  try {
    const answer = parseAnswer(response, 'in.php', 0);
    if (answer.kind === 'ok') return 'accepted';
    return answer.kind === 'error' ? 'refused' : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * An in.php request that got no answer: refused only when it surely never reached the service
 * (connection refused, DNS failure: see the transport's NetworkError.mayHaveReachedServer).
 */
export function submitFailureOutcome(error: unknown): SubmitOutcome {
  return error instanceof NetworkError && !error.mayHaveReachedServer ? 'refused' : 'unknown';
}
