import { CaptchaAIError } from './captchaai-error.js';

/**
 * A submit was sent but its answer was lost (reset, timeout): the service may have created a task
 * the client never learnt the id of. Resubmitting could create (and bill) a duplicate, so the
 * caller decides.
 */
export class AmbiguousSubmitError extends CaptchaAIError {
  constructor(cause: unknown) {
    super('AMBIGUOUS_SUBMIT', 'The submit may have reached the service but its answer was lost', {
      cause,
    });
  }
}
