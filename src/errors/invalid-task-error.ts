import { CaptchaAIError } from './captchaai-error.js';

/** A task failed validation before any request was sent; `parameter` names the culprit. */
export class InvalidTaskError extends CaptchaAIError {
  readonly parameter: string;

  constructor(parameter: string, message: string) {
    super('INVALID_TASK', message);
    this.parameter = parameter;
  }
}
