// The public surface of captchaai. Every export is named here on purpose: nothing leaks by
// accident, and a reader sees the whole API in one place.
export { Solver } from './solver/solver.js';
export { DEFAULT_SOLVER_OPTIONS, resolveSolverOptions } from './solver/options.js';
export type { SolverEvents } from './solver/events.js';
export type { LogFn, SolverLogger } from './solver/logger.js';
export type { SolveManyItem, SolveManyOptions } from './solver/solve-many.js';
export type { SubmitOutcome } from './solver/submit-outcome.js';
export type { LimitChange, LimitChangeReason } from './flow/slot-controller.js';
export type { RateChangedEvent } from './flow/rate-controller-types.js';
export type {
  CallOptions,
  ServiceProfile,
  Solution,
  SolveOptions,
  SolveResult,
  SolverOptions,
  ThreadsInfo,
  TimingClass,
} from './solver/types.js';

// The task types, per method (src/protocol/tasks/index.ts names each): a task written as one of
// these is checked by the compiler.
export type * from './protocol/tasks/index.js';
export { uncheckedTask } from './protocol/tasks/unchecked-task.js';

export { CaptchaAIError, isCaptchaAIError } from './errors/captchaai-error.js';
export { AbortError } from './errors/abort-error.js';
export { AmbiguousSubmitError } from './errors/ambiguous-submit-error.js';
export { AnswerShapeError } from './errors/answer-shape-error.js';
export { ApiError, type ApiEndpoint } from './errors/api-error.js';
export { ConfigError } from './errors/config-error.js';
export { HttpError } from './errors/http-error.js';
export { InvalidTaskError } from './errors/invalid-task-error.js';
export { NetworkError } from './errors/network-error.js';
export { ProtocolError } from './errors/protocol-error.js';
export { TimeoutError } from './errors/timeout-error.js';
export { classify, type Classification, type ErrorKind } from './errors/classify.js';
export { ERROR_CODES } from './errors/error-codes.js';

export { systemClock, type Clock } from './time/clock.js';
export { ManualClock } from './time/manual-clock.js';
export { scaledClock } from './time/scaled-clock.js';
export { seededRandom, systemRandom, type Random } from './time/random.js';

export { createHttpTransport, type HttpTransportOptions } from './transport/http-transport.js';
export type {
  ApiFile,
  ApiRequest,
  ApiResponse,
  Transport,
  TransportCallOptions,
} from './transport/types.js';
