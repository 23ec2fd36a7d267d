import { AbortError } from '../errors/abort-error.js';
import { AmbiguousSubmitError } from '../errors/ambiguous-submit-error.js';
import { classify, isRetryable, type ClassifyProfile } from '../errors/classify.js';
import { SUBMIT_HELD } from './submit-gate.js';

/** Lost submit answers one line may have in one run before resubmitting gives up on it. */
export const MAX_LOST_SUBMITS = 5;

/** What the runner does with a task that did not end in an answer. */
export type FailureDecision =
  /** Nothing was sent since submitting paused: the line waits (window) or stays pending. */
  | { action: 'held' }
  /** Aborted by the run ending (drain timeout, second interrupt): the journal keeps its state. */
  | { action: 'dropped' }
  /** The submit's answer was lost; resubmitting is allowed (captchaai, `--resubmit-ambiguous`). */
  | { action: 'resubmit' }
  /**
   * The submit's answer was lost and it is not sent again (`not-resubmitted`: 2captcha's default,
   * `--no-resubmit-ambiguous`; `lost-too-often`: lost MAX_LOST_SUBMITS times this run). The line
   * stays pending, `ambiguous` in the journal: the service may hold its task, so no result is
   * written; a rerun with `--resubmit-ambiguous` sends it again.
   */
  | { action: 'doubt'; why: DoubtReason }
  | { action: 'retry-unsolvable' }
  /** The key, plan or IP is unusable: stop submitting; the line stays pending. */
  | { action: 'fatal-account' }
  /** The service or network kept failing past the Solver's retries: the line stays pending. */
  | { action: 'unresolved' }
  /** The line's final result is this error. */
  | { action: 'record'; code: string; message: string };

export type DoubtReason = 'not-resubmitted' | 'lost-too-often';

export interface FailureContext {
  profile: ClassifyProfile;
  /** The runner paused submits while this task waited for a thread. */
  held: boolean;
  resubmitAmbiguous: boolean;
  /** Lost submit answers of this line in this run, this one included. */
  lostThisRun: number;
  /** Unsolvable outcomes of this line before this one. */
  unsolvable: number;
  retryUnsolvable: number;
}

/**
 * Decides, from the error and the line's history, whether a failed task gets a result line now
 * or stays in the journal for later. Pure: classify() says what the error means, this says what
 * a batch does about it. A result line is final, so anything that a rerun could still fix (an
 * account error, an outage, a submit whose answer was lost) writes none.
 */
export function decideFailure(error: unknown, ctx: FailureContext): FailureDecision {
  if (ctx.held || (error instanceof AbortError && error.cause === SUBMIT_HELD)) {
    return { action: 'held' };
  }
  if (error instanceof AmbiguousSubmitError) {
    if (!ctx.resubmitAmbiguous) return { action: 'doubt', why: 'not-resubmitted' };
    if (ctx.lostThisRun <= MAX_LOST_SUBMITS) return { action: 'resubmit' };
    return { action: 'doubt', why: 'lost-too-often' };
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
