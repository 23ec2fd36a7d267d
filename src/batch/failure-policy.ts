import { AbortError } from '../errors/abort-error.js';
import { AmbiguousSubmitError } from '../errors/ambiguous-submit-error.js';
import { classify, isRetryable, type ClassifyProfile } from '../errors/classify.js';
import { SUBMIT_HELD } from './submit-gate.js';

/** Lost submit answers one line may have before `--resubmit-ambiguous` gives up on it. */
export const MAX_LOST_SUBMITS = 5;

/** What the runner does with a task that did not end in an answer. */
export type FailureDecision =
  /** Nothing was sent since submitting paused: the line waits (window) or stays pending. */
  | { action: 'held' }
  /** Aborted by the run ending (drain timeout, second interrupt): the journal keeps its state. */
  | { action: 'dropped' }
  /** The submit's answer was lost; `--resubmit-ambiguous` allows another one. */
  | { action: 'resubmit' }
  | { action: 'retry-unsolvable' }
  /** The key, plan or IP is unusable: stop submitting; the line stays pending. */
  | { action: 'fatal-account' }
  /** The service or network kept failing past the Solver's retries: the line stays pending. */
  | { action: 'unresolved' }
  /** The line's final result is this error. */
  | { action: 'record'; code: string; message: string };

export interface FailureContext {
  profile: ClassifyProfile;
  /** The runner paused submits while this task waited for a thread. */
  held: boolean;
  resubmitAmbiguous: boolean;
  /** Lost submit answers of this line, this one included. */
  lostSubmits: number;
  /** Unsolvable outcomes of this line before this one. */
  unsolvable: number;
  retryUnsolvable: number;
}

/**
 * Decides, from the error and the line's history, whether a failed task gets a result line now
 * or stays in the journal for later. Pure: classify() says what the error means, this says what
 * a batch does about it. A result line is final, so anything that a rerun could still fix (an
 * account error, an outage) writes none.
 */
export function decideFailure(error: unknown, ctx: FailureContext): FailureDecision {
  if (ctx.held || (error instanceof AbortError && error.cause === SUBMIT_HELD)) {
    return { action: 'held' };
  }
  if (error instanceof AmbiguousSubmitError) {
    if (ctx.resubmitAmbiguous && ctx.lostSubmits <= MAX_LOST_SUBMITS) {
      return { action: 'resubmit' };
    }
    const why = ctx.resubmitAmbiguous
      ? `lost ${ctx.lostSubmits} times`
      : 'not resubmitted, to avoid a duplicate task (use --resubmit-ambiguous to send it again)';
    return record('AMBIGUOUS_SUBMIT', `${error.message}; ${why}`);
  }
  const { kind } = classify(error, ctx.profile);
  if (kind === 'aborted') return { action: 'dropped' };
  if (kind === 'fatal-account') return { action: 'fatal-account' };
  if (isRetryable(kind)) return { action: 'unresolved' };
  const code = codeOf(error);
  if (code === 'ERROR_CAPTCHA_UNSOLVABLE' && ctx.unsolvable < ctx.retryUnsolvable) {
    return { action: 'retry-unsolvable' };
  }
  return record(code, error instanceof Error ? error.message : String(error));
}

function record(code: string, message: string): FailureDecision {
  return { action: 'record', code, message };
}

export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : 'UNEXPECTED';
}
