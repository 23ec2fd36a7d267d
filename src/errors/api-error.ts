import { CaptchaAIError } from './captchaai-error.js';

/** Which service endpoint answered. */
export type ApiEndpoint = 'in.php' | 'res.php' | 'solve.php';

/**
 * The service answered with an error code (`ERROR_...`, `IP_BANNED`, `MAX_USER_TURN`,
 * `ERROR: 1001`, ...). `code` is the service's code, exactly as sent.
 */
export class ApiError extends CaptchaAIError {
  readonly endpoint: ApiEndpoint;
  /** The service's human-readable `error_text`, when it sent one. */
  readonly errorText: string | undefined;

  constructor(code: string, endpoint: ApiEndpoint, errorText?: string) {
    super(code, `${endpoint} answered ${code}${errorText ? `: ${errorText}` : ''}`);
    this.endpoint = endpoint;
    this.errorText = errorText;
  }
}
