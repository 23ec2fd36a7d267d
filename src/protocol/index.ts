export type { Answer, AnswerValue, ErrorAnswer, NotReadyAnswer, OkAnswer } from './answer.js';
export {
  encodeAction,
  encodeGet,
  encodeGetMany,
  encodeSolveNow,
  encodeSubmit,
  type ResAction,
} from './encode-request.js';
export { encodeTask, type EncodedTask } from './encode-task.js';
export { normaliseSolution } from './normalise-solution.js';
export { answerError, parseAnswer, parseAnswerOrThrow } from './parse-answer.js';
export { parseGetMany, type GetManyResult } from './parse-get-many.js';
export { parseThreadsInfo, parseThreadsInfoResponse } from './parse-threads-info.js';
export { parseRetryAfter } from './retry-after.js';
export type * from './tasks/index.js';
export { TASK_METHODS, isKnownMethod } from './tasks/task.js';
export { uncheckedTask } from './tasks/unchecked-task.js';
export { timingClass } from './timing-class.js';
export { validateTask, type ValidateTaskOptions } from './validate-task.js';
