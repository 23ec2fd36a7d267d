import { CaptchaAIError } from './captchaai-error.js';

/**
 * A 200 answer that is neither a result nor an error code: an HTML page, truncated JSON,
 * garbage. The docs say to wait and retry, so it is transient.
 */
export class ProtocolError extends CaptchaAIError {
  constructor(detail: string) {
    super('UNPARSEABLE_RESPONSE', `Unparseable response: ${detail}`);
  }
}
