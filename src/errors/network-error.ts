import { CaptchaAIError } from './captchaai-error.js';

/**
 * The request failed below HTTP: refused, reset, timed out. `mayHaveReachedServer` is false only
 * when the request surely never left (connection refused, DNS failure); a submit that may have
 * reached the server may have created a task, so it must not be resubmitted blindly.
 */
export class NetworkError extends CaptchaAIError {
  readonly mayHaveReachedServer: boolean;

  constructor(code: string, message: string, mayHaveReachedServer: boolean, cause?: unknown) {
    super(code, message, { cause });
    this.mayHaveReachedServer = mayHaveReachedServer;
  }
}
