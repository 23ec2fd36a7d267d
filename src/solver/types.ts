import type { Dispatcher } from 'undici';
import type { Clock } from '../time/clock.js';
import type { Random } from '../time/random.js';
import type { Transport } from '../transport/types.js';
import type { SolverLogger } from './logger.js';
import type { SubmitOutcome } from './submit-outcome.js';

/**
 * Which service's meaning of the error codes applies. `captchaai`: ERROR_ZERO_BALANCE and
 * ERROR_NO_SLOT_AVAILABLE both mean "no free thread" (retry). `2captcha`: ERROR_ZERO_BALANCE means
 * no money (fatal), and the ban codes (MAX_USER_TURN, ERROR: 1001..1005) pause for their times.
 */
export type ServiceProfile = 'captchaai' | '2captcha';

/** How a method is timed: image tasks are fast, token tasks slower, challenges slowest. */
export type TimingClass = 'image' | 'token' | 'challenge';

/** A solved task's answer: a string (text, token) or an object (GeeTest, Lemin, ...). */
export type Solution = string | Record<string, unknown>;

/** A solved task. `S` is its solution's type, by method (SolutionOf); `Solution` when unknown. */
export interface SolveResult<S extends Solution = Solution> {
  /** The service's task id, as a string. */
  taskId: string;
  solution: S;
  /** Extra answer fields the service sent (`user_agent`, `useragent`, `cookies`, `respKey`, ...). */
  extra: Record<string, unknown>;
  /** From the first submit attempt to the answer, on the solver's clock. */
  elapsedMs: number;
}

export interface SolveOptions {
  signal?: AbortSignal;
  /** Overall limit for this task; defaults to the per-method timeout. */
  timeoutMs?: number;
  /**
   * Called synchronously the moment the service accepts the task, before any poll: the place to
   * record the task id durably, so a crash never leads to the task being submitted (and billed)
   * again.
   */
  onSubmitted?: (taskId: string) => void;
  /**
   * Called synchronously right before each in.php request of this task goes on the wire, after
   * every wait (for a thread, for the rate limit): the place to journal "submitting", so a task
   * that only waited for a thread is never taken for one the service may hold. An error it throws
   * stops that request unsent and fails the solve with that error.
   */
  onSubmitting?: () => void;
  /**
   * Called after each in.php request of this task with what its answer says: `accepted` (a task
   * id), `refused` (an error code, a 429, or a connection that never reached the service: nothing
   * of the task is on the service) or `unknown` (a lost answer).
   */
  onSubmitAnswered?: (outcome: SubmitOutcome) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** The account's threads, where the service answers `threadsinfo`. */
export interface ThreadsInfo {
  threads: number;
  working: number;
  free: number;
  /** Every field of the answer, as sent. */
  raw: Record<string, unknown>;
}

export interface SolverOptions {
  /** The 32-character API key. Never logged, never shown in errors. */
  key: string;
  /** @default 'https://ocr.captchaai.com' */
  baseUrl?: string;
  /** @default 'captchaai' */
  profile?: ServiceProfile;
  /** @default an HTTP keep-alive transport for `baseUrl` */
  transport?: Transport;
  /**
   * Longest one HTTP request may take, from sending to the answer's last byte (the built-in
   * transport only; a task's own timeout aborts its requests sooner). @default 30000
   */
  requestTimeoutMs?: number;
  /**
   * Largest answer body taken (the built-in transport only); a larger one fails the request as
   * UNPARSEABLE_RESPONSE, naming the size. @default 1048576
   */
  maxResponseBytes?: number;
  /**
   * An undici Dispatcher every request goes through (an Agent with your TLS or socket options, a
   * ProxyAgent, a MockAgent), for the built-in transport; it stays yours (close() leaves it).
   * Without one, `HTTPS_PROXY` / `HTTP_PROXY` are honoured, minus the hosts `NO_PROXY` names.
   */
  dispatcher?: Dispatcher;
  /** @default the system clock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** Delay from an accepted submit to the first poll. @default { image: 5000, token: 15000, challenge: 20000 } */
  firstPollDelayMs?: Partial<Record<TimingClass, number>>;
  /** Delay between polls of one task. @default 5000 */
  pollIntervalMs?: number;
  /** Overall per-task timeout. @default { image: 120000, token: 300000, challenge: 300000 } */
  timeoutMs?: Partial<Record<TimingClass, number>>;
  /** Attempts for a request that fails transiently (5xx, HTML page, reset). @default 5 */
  maxTransientAttempts?: number;
  /**
   * How long a task may wait for capacity: after the service refused it (no free thread, or no
   * free worker for its CAPTCHA type), and while its type is refused. Time spent so does not count
   * toward `timeoutMs`, since nothing is on the service. Past it the task fails with
   * CapacityWaitError, unsent. @default Infinity (wait as long as it takes: an outage of one type
   * can last minutes, and other types go on meanwhile)
   */
  capacityWaitMs?: number;
  /**
   * Hard ceiling on tasks holding a thread at once (your plan's thread count, or less to leave
   * room for other programs on the account). Without it the limit is discovered.
   * @default undefined (discovered from `threadsinfo` or from capacity rejections)
   */
  maxConcurrency?: number;
  /** Ask the service's `threadsinfo` for the account's free threads before the first submit. @default true */
  discoverThreads?: boolean;
  /** Hard ceiling on requests per second for the whole account. @default undefined (adapts to HTTP 429) */
  requestsPerSecond?: number;
  /** Poll many tasks per request with `ids=`: `auto` detects support at run time. @default 'auto' */
  batchPoll?: 'auto' | 'always' | 'never';
  /** Polls allowed per task. @default 20 for the 2captcha profile (it bans more), none for captchaai */
  pollBudget?: number;
  /**
   * Resubmit a task whose submit answer was lost (reset, timeout), which may leave a duplicate
   * task on the service. @default true for the captchaai profile (threads, not solves, are
   * billed), false for 2captcha (each solve is billed)
   */
  resubmitAmbiguous?: boolean;
  /**
   * Send tasks whose method this library does not know (the service adds methods faster than
   * clients do), checked only for what every task needs: a method, and parameters that can be
   * sent. Their answers are read as text, and they are timed as tokens. @default false
   */
  allowUnknownMethods?: boolean;
  /**
   * Where to log what the solver does (pino, or any logger with `debug`, `info`, `warn` and
   * `error` taking `(obj, msg)`): each request at debug; each retry, limit or rate change and task
   * outcome at info, warn or error. The key is never logged. @default none (nothing is logged)
   */
  logger?: SolverLogger;
}
