import { CaptchaAIError } from './captchaai-error.js';

/**
 * The service answered with an HTTP status other than 200 (429, 5xx, an HTML error page).
 * `retryAfterMs` is the server's `Retry-After` hint, already converted to milliseconds.
 */
export class HttpError extends CaptchaAIError {
  readonly status: number;
  readonly retryAfterMs: number | undefined;

  constructor(status: number, retryAfterMs?: number, detail?: string) {
    super(`HTTP_${status}`, `HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}
