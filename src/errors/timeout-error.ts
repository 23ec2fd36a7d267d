import { CaptchaAIError } from './captchaai-error.js';

/** A task was not solved within its overall timeout. `taskId` is set when it had been accepted. */
export class TimeoutError extends CaptchaAIError {
  readonly taskId: string | undefined;
  readonly timeoutMs: number;

  constructor(timeoutMs: number, taskId?: string) {
    super('TIMEOUT', `Not solved within ${timeoutMs} ms${taskId ? ` (task ${taskId})` : ''}`);
    this.timeoutMs = timeoutMs;
    this.taskId = taskId;
  }
}
