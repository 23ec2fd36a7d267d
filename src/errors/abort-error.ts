import { CaptchaAIError } from './captchaai-error.js';

/** The caller aborted: the signal's reason is kept as `cause`. Never retried. */
export class AbortError extends CaptchaAIError {
  constructor(reason?: unknown) {
    super('ABORTED', 'The operation was aborted', { cause: reason });
  }
}
