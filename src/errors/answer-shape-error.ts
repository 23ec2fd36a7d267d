import { CaptchaAIError } from './captchaai-error.js';

/**
 * The service answered with a solution that cannot belong to the task: an image's digits for a
 * token method, a bare string where GeeTest answers a set of values. Such an answer is someone
 * else's (a task id mixed up, a service that lost its tasks): never hand it on as solved.
 */
export class AnswerShapeError extends CaptchaAIError {
  readonly taskId: string;

  constructor(taskId: string, method: string, problem: string) {
    super(
      'WRONG_ANSWER_SHAPE',
      `task ${taskId}: the ${method} answer ${problem}; it is not this task's`,
    );
    this.taskId = taskId;
  }
}
