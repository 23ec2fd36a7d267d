import { NetworkError } from '../errors/network-error.js';
import { parseAnswer } from '../protocol/parse-answer.js';
import type { ApiResponse } from '../transport/types.js';

/** What an in.php answer says about the task: taken, surely not taken, or nobody knows. */
export type SubmitOutcome = 'accepted' | 'refused' | 'unknown';

/** Reads an in.php answer the way the Solver will: an id is acceptance, an error code a refusal. */
export function submitOutcomeOf(response: ApiResponse): SubmitOutcome {
  // A 429 comes from the rate limiter in front of the service's logic: nothing was created.
  if (response.status === 429) return 'refused';
  if (response.status !== 200) return 'unknown';
  try {
    const answer = parseAnswer(response, 'in.php', 0);
    if (answer.kind === 'ok') return 'accepted';
    return answer.kind === 'error' ? 'refused' : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** An in.php request that got no answer: refused only when it surely never reached the service. */
export function submitFailureOutcome(error: unknown): SubmitOutcome {
  return error instanceof NetworkError && !error.mayHaveReachedServer ? 'refused' : 'unknown';
}
