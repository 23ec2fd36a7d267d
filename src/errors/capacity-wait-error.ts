import { CaptchaAIError } from './captchaai-error.js';

/**
 * A task waited for capacity (no free thread on the account, or no free worker for its type)
 * longer than the `capacityWaitMs` the user allowed. Nothing of it is on the service.
 */
export class CapacityWaitError extends CaptchaAIError {
  readonly type: string;
  readonly waitedMs: number;

  constructor(type: string, waitedMs: number) {
    super(
      'CAPACITY_WAIT',
      `${type}: no capacity within ${Math.round(waitedMs)} ms (capacityWaitMs); nothing was submitted`,
    );
    this.type = type;
    this.waitedMs = waitedMs;
  }
}
