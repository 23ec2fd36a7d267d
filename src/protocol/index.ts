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
export type { CloudflareChallengeTask, TurnstileTask } from './tasks/cloudflare.js';
export type { CommonTaskParams, Flag } from './tasks/common.js';
export type { GeetestV3Task, GeetestV4NativeTask, GeetestV4Task } from './tasks/geetest.js';
export type {
  GridOptions,
  GridTask,
  ImageBase64Task,
  ImageFile,
  ImageOptions,
  ImagePostTask,
} from './tasks/image.js';
export type {
  BlsTask,
  CaptchafoxTask,
  FriendlyCaptchaTask,
  HcaptchaTask,
  LeminTask,
} from './tasks/other-tokens.js';
export type { JsonCookie, RecaptchaV2Task, RecaptchaV3Task } from './tasks/recaptcha.js';
export {
  TASK_METHODS,
  isKnownMethod,
  type AnyTask,
  type CustomTask,
  type Task,
  type TaskMethod,
} from './tasks/task.js';
export { timingClass } from './timing-class.js';
export { validateTask, type ValidateTaskOptions } from './validate-task.js';
