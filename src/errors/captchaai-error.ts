/**
 * A brand shared by every copy of this package, so `isCaptchaAIError()` holds even when two
 * installs of captchaai end up in one process (instanceof would not).
 */
const BRAND = Symbol.for('captchaai.error');

export interface CaptchaAIErrorOptions {
  cause?: unknown;
}

/** Base class of every error the library throws. `code` is stable and machine-readable. */
export class CaptchaAIError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options: CaptchaAIErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for any error thrown by any copy of this library. */
export function isCaptchaAIError(error: unknown): error is CaptchaAIError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[BRAND] === true
  );
}
