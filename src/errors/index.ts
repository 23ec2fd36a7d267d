export { AbortError } from './abort-error.js';
export { AnswerShapeError } from './answer-shape-error.js';
export { AmbiguousSubmitError } from './ambiguous-submit-error.js';
export { ApiError, type ApiEndpoint } from './api-error.js';
export { CapacityWaitError } from './capacity-wait-error.js';
export { CaptchaAIError, isCaptchaAIError, type CaptchaAIErrorOptions } from './captchaai-error.js';
export {
  classify,
  classifyCode,
  isRetryable,
  type Classification,
  type ErrorKind,
  type ClassifyProfile,
} from './classify.js';
export { ConfigError } from './config-error.js';
export { ERROR_CODES, NOT_READY, isKnownErrorCode, type ErrorCode } from './error-codes.js';
export { HttpError } from './http-error.js';
export { InvalidTaskError } from './invalid-task-error.js';
export { NetworkError } from './network-error.js';
export { ProtocolError } from './protocol-error.js';
export { TimeoutError } from './timeout-error.js';
