import { CaptchaAIError } from './captchaai-error.js';

/**
 * A task was not solved within its overall timeout. `taskId` is set when it had been accepted;
 * `cause` is the last failed request of the task, when the time went on retries, so the message
 * says why it ran out (a server that never answers, an answer too large) and not only that it did.
 */
export class TimeoutError extends CaptchaAIError {
  readonly taskId: string | undefined;
  readonly timeoutMs: number;

  constructor(timeoutMs: number, taskId?: string, lastFailure?: unknown) {
    super(
      'TIMEOUT',
      `Not solved within ${timeoutMs} ms${taskId ? ` (task ${taskId})` : ''}${failureNote(lastFailure)}`,
      { cause: lastFailure },
    );
    this.timeoutMs = timeoutMs;
    this.taskId = taskId;
  }
}

function failureNote(failure: unknown): string {
  if (!(failure instanceof Error)) return '';
  const code = (failure as { code?: unknown }).code;
  return `; the last request failed: ${typeof code === 'string' ? `${code}: ` : ''}${failure.message}`;
}
