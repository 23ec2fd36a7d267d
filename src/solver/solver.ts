import { setMaxListeners } from 'node:events';
import { AbortError } from '../errors/abort-error.js';
import { AnswerShapeError } from '../errors/answer-shape-error.js';
import { classify } from '../errors/classify.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { capacityTypeOf } from '../flow/platform/capacity-type.js';
import { parkedAllowance } from '../flow/platform/parked-allowance.js';
import { PlatformCapacity } from '../flow/platform/platform-capacity.js';
import { PollScheduler } from '../flow/poll-scheduler.js';
import { RateController } from '../flow/rate-controller.js';
import { SlotController } from '../flow/slot-controller.js';
import { SolveTimeRegistry } from '../flow/solve-time-registry.js';
import {
  encodeAction,
  encodeSubmit,
  normaliseSolution,
  parseThreadsInfoResponse,
  timingClass,
  validateTask,
  type GeetestV3Solution,
  type GeetestV3Task,
  type GeetestV4NativeTask,
  type GeetestV4Solution,
  type GeetestV4Task,
  type SolutionOf,
  type Task,
  type TextAnswerTask,
  type UncheckedTask,
} from '../protocol/index.js';
import type { AnswerValue } from '../protocol/answer.js';
import { answerShapeProblem } from '../protocol/answer-shape.js';
import { ApiClient, codeOf } from './api-client.js';
import { AbortFanout } from '../time/abort-fanout.js';
import {
  CAPACITY_WAIT_REASON,
  DEADLINE_REASON,
  Deadlines,
  TaskScope,
  withDeadline,
  type ScopeShared,
} from './deadline.js';
import type { SolverEvents } from './events.js';
import { logEvents } from './event-log.js';
import { resolveSolverOptions, type ResolvedSolverOptions } from './options.js';
import { createPollRequests } from './poll-requests.js';
import { solveMany, type SolveManyItem, type SolveManyOptions } from './solve-many.js';
import { submitTask, type SubmitContext } from './submit-task.js';
import { TaskCapacity } from './task-capacity.js';
import { TypedEmitter } from './typed-emitter.js';
import type { TypeStatus } from '../flow/platform/type-gate.js';
import type {
  CallOptions,
  Solution,
  SolveOptions,
  SolveResult,
  SolverOptions,
  ThreadsInfo,
} from './types.js';

/**
 * Requests per second at a cold start, before the server's first 429 (the rate doubles from there,
 * see SlowStart): 2captcha asks for 100 ms between submits, and a few requests at this pace find a
 * limit of a few a second without a burst of 429s.
 */
const SLOW_START_RATE = 10;
/** Submits per second on 2captcha-style services: their ban starts above 20 (60 in 3 s). */
const TWO_CAPTCHA_SUBMITS_PER_SECOND = 15;
/** How often a limit held at the reported threads may ask `threadsinfo` again (a raised plan). */
const THREADS_RECHECK_MS = 300_000;
/**
 * The longest the first solves wait for `threadsinfo`. It is a small answer that comes in well
 * under a second; a service that takes longer, or never answers, should delay the work by little,
 * since slow start discovers the limit anyway.
 */
const DISCOVERY_TIMEOUT_MS = 3_000;

/**
 * Solves CAPTCHAs through CaptchaAI or any 2captcha-compatible service at the highest rate the
 * account allows. Every solve, however many run at once, goes through one flow controller: a slot
 * limit learnt from the service (threadsinfo, capacity rejections, rare probes), one rate limiter
 * for all requests (adapting to 429s and pauses), and one poll scheduler (learned solve times,
 * batch polls). Every wait is cancellable; the API key appears in no error, event or log.
 */
export class Solver {
  private readonly options: ResolvedSolverOptions;
  private readonly emitter = new TypedEmitter<SolverEvents>();
  private readonly client: ApiClient;
  private readonly slots: SlotController;
  private readonly capacity: PlatformCapacity;
  private readonly scheduler: PollScheduler;
  private readonly closing = new AbortController();
  /** Links every solve's scope to the close signal (and shared caller signals), and its deadline. */
  private readonly scopes: ScopeShared;
  private discovery: Promise<void> | undefined;
  /** Set once the limit needs no more discovery: solves then skip the await. */
  private discovered = false;
  /** When `threadsinfo` was last asked again because the limit wanted to climb past it. */
  private threadsCheckedAt: number | undefined;

  constructor(options: SolverOptions) {
    this.options = resolveSolverOptions(options);
    const { clock, random } = this.options;
    this.scopes = { fanout: new AbortFanout(), deadlines: new Deadlines(clock) };
    // Every concurrent solve listens on the close signal; thousands at once are expected.
    setMaxListeners(0, this.closing.signal);
    const rate = new RateController(
      this.options.requestsPerSecond === undefined
        ? { slowStartRate: SLOW_START_RATE }
        : { requestsPerSecond: this.options.requestsPerSecond },
      { clock, random, onChange: (e) => this.emitter.emit('rate-changed', e) },
    );
    // 2captcha-style services ban an account for 10 s after 60 submits in 3 s; stay well under.
    const submitRate =
      this.options.profile === '2captcha'
        ? new RateController(
            { requestsPerSecond: TWO_CAPTCHA_SUBMITS_PER_SECOND, burst: 5 },
            { clock, random },
          )
        : undefined;
    this.client = new ApiClient(this.options, this.emitter, rate, submitRate);
    this.slots = new SlotController(
      this.options.maxConcurrency === undefined
        ? {}
        : { maxConcurrency: this.options.maxConcurrency },
      clock,
      (change) => this.emitter.emit('limit-changed', change),
    );
    this.capacity = new PlatformCapacity(this.slots, clock, random, {
      busy: (info) => this.emitter.emit('type-busy', { ...info, cause: 'platform' }),
      open: (info) => this.emitter.emit('type-open', { ...info, cause: 'platform' }),
    });
    const models = new SolveTimeRegistry(
      (method) => this.options.firstPollDelayMs[timingClass({ method })],
    );
    this.scheduler = new PollScheduler(
      {
        batchPoll: this.options.batchPoll,
        maxBatchSize: 100,
        pollIntervalMs: this.options.pollIntervalMs,
        pollBudget: this.options.pollBudget,
        batchPollsPerSolve: 0.1,
        rateBound: () => rate.limitsSubmits(),
      },
      createPollRequests(this.options, this.client, this.closing.signal),
      models,
      clock,
      {
        polled: (taskIds, ready) =>
          this.emitter.listens('polled') && this.emitter.emit('polled', { taskIds, ready }),
        modeChanged: (mode, reason) => this.emitter.emit('poll-mode', { mode, reason }),
        doneEstimateChanged: () => this.slots.doneEstimateChanged(),
      },
    );
    this.slots.estimateDoneWith(
      () => this.scheduler.doneEstimate(),
      (count, noiseVariance) => this.scheduler.doneMeasured(count, noiseVariance),
    );
    this.scheduler.followReleaseMode(() => this.slots.releaseMode);
    if (this.options.log) logEvents(this.emitter, this.options.log);
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof SolverEvents>(
    name: K,
    listener: (payload: SolverEvents[K]) => void,
  ): () => void {
    return this.emitter.on(name, listener);
  }

  off<K extends keyof SolverEvents>(name: K, listener: (payload: SolverEvents[K]) => void): void {
    this.emitter.off(name, listener);
  }

  /**
   * The current estimate of the account's thread limit, tasks holding one, tasks waiting for a
   * thread, and tasks parked because their CAPTCHA type is busy or at its cap on the platform.
   */
  get flow(): {
    limit: number;
    inFlight: number;
    waiting: number;
    parked: number;
    pollMode: string;
  } {
    return {
      limit: this.slots.limit,
      inFlight: this.slots.inFlight,
      waiting: this.slots.waiting,
      parked: this.capacity.parked,
      pollMode: this.scheduler.pollMode,
    };
  }

  /** Each CAPTCHA type seen so far: open, or busy on the platform (since when, next try), its cap. */
  types(): TypeStatus[] {
    return this.capacity.types();
  }

  /**
   * Solves one task. Rejects with a typed error; never with the key in its message. The task is
   * checked by the compiler against its method's type (a misspelt parameter does not compile)
   * unless it comes from `uncheckedTask()`; the solution is typed by method: a string for tokens
   * and images, an object for GeeTest, `Solution` where the answer may be either.
   */
  solve(task: UncheckedTask, options?: SolveOptions): Promise<SolveResult>;
  solve(task: GeetestV3Task, options?: SolveOptions): Promise<SolveResult<GeetestV3Solution>>;
  solve(
    task: GeetestV4Task | GeetestV4NativeTask,
    options?: SolveOptions,
  ): Promise<SolveResult<GeetestV4Solution>>;
  solve(task: TextAnswerTask, options?: SolveOptions): Promise<SolveResult<string>>;
  solve(task: Task, options?: SolveOptions): Promise<SolveResult>;
  async solve(task: Task | UncheckedTask, options: SolveOptions = {}): Promise<SolveResult> {
    const valid = validateTask(task, { allowUnknownMethods: this.options.allowUnknownMethods });
    const method = String(valid.method);
    const timing = timingClass(valid);
    const request = encodeSubmit(valid, this.options.key);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs[timing];
    if (!this.discovered) await this.discoverLimit();
    // While it waits for a thread a solve is a queue node and one controller; the deadline's
    // timer and the submit's closures come once a thread is granted.
    const scope = new TaskScope(this.scopes, options.signal, this.closing.signal);
    const hold = new TaskCapacity(
      this.capacity,
      this.slots,
      capacityTypeOf(valid),
      scope,
      this.options,
      timeoutMs,
    );
    try {
      await hold.acquire();
    } catch (error) {
      scope.end();
      throw scope.signal.reason === CAPACITY_WAIT_REASON ? hold.waitError() : error;
    }
    const { clock } = this.options;
    const started = clock.now();
    const deadline = scope.signal;
    let taskId: string | undefined;
    let lastFailure: unknown;
    try {
      const ctx: SubmitContext = {
        options: this.options,
        client: this.client,
        events: this.emitter,
        inFlight: () => this.slots.inFlight,
        type: hold.type,
        awaitCapacity: (attempt) => hold.refused(attempt),
        accepted: () => hold.accepted(),
        onSubmitting: options.onSubmitting,
        onSubmitAnswered: options.onSubmitAnswered,
        onFailed: (error) => {
          lastFailure = error;
        },
      };
      taskId = await submitTask(ctx, method, request, deadline);
      options.onSubmitted?.(taskId);
      const outcome = await this.scheduler.track({
        taskId,
        method,
        acceptedAt: clock.now(),
        // The timeout runs from the latest grant of capacity, not from the call.
        deadlineAt: scope.deadlineAt,
        signal: deadline,
        onSettled: () => hold.release(),
        hurried: () => this.capacity.isStarved(hold.type),
        onPollFailed: (error) => {
          lastFailure = error;
        },
      });
      if (outcome.kind === 'failed') throw outcome.error;
      const elapsedMs = clock.now() - started;
      if (this.emitter.listens('solved'))
        this.emitter.emit('solved', { taskId, method, elapsedMs, polls: outcome.polls });
      return {
        taskId,
        solution: solutionOf(method, outcome.value, taskId),
        extra: outcome.extra,
        elapsedMs,
      };
    } catch (error) {
      const failure = !(error instanceof AbortError)
        ? error
        : error.cause === DEADLINE_REASON
          ? new TimeoutError(timeoutMs, taskId, lastFailure)
          : error.cause === CAPACITY_WAIT_REASON
            ? hold.waitError()
            : error;
      if (this.emitter.listens('failed')) {
        const kind =
          failure instanceof TimeoutError
            ? 'timeout'
            : classify(failure, this.options.profile).kind;
        this.emitter.emit('failed', { taskId, method, code: codeOf(failure), kind });
      }
      throw failure;
    } finally {
      hold.release();
      scope.end();
    }
  }

  /**
   * Solves tasks from any (async) iterable and yields each as it finishes, `{ index, task, ok,
   * result | error }`, in completion order. One failed task never stops the others.
   */
  solveMany<T extends Task | UncheckedTask>(
    tasks: Iterable<T> | AsyncIterable<T>,
    options: SolveManyOptions = {},
  ): AsyncGenerator<SolveManyItem<T, SolutionOf<T>>, void, undefined> {
    // Tasks parked behind a busy type take no thread: more input may start meanwhile, so other
    // types keep the account busy (up to a bound, since parked tasks are held in memory).
    const openLimit = (): number =>
      2 * this.slots.limit + 16 + Math.min(this.capacity.parked, parkedAllowance(this.slots.limit));
    return solveMany(
      tasks,
      // The overloads of solve() type each task's solution; SolutionOf<T> says the same for T.
      (task, solveOptions) =>
        this.solve(task as Task, solveOptions) as Promise<SolveResult<SolutionOf<T>>>,
      openLimit,
      options,
      (listener) => this.slots.onRoom(listener),
    );
  }

  /**
   * Follows a task that is already on the service (submitted earlier, e.g. by a run that
   * crashed) until it is answered, without submitting anything. `method` picks the solve-time
   * model and the timeout; `submittedAt` (on the solver's clock) keeps the timeout honest.
   */
  async collect(
    taskId: string,
    method: string,
    options: SolveOptions & { submittedAt?: number } = {},
  ): Promise<SolveResult> {
    if (!/^\d+$/.test(taskId))
      throw new TypeError(`taskId must be digits only, got ${JSON.stringify(taskId)}`);
    const { clock } = this.options;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs[timingClass({ method })];
    const permit = this.slots.adopt();
    const started = options.submittedAt ?? clock.now();
    const remaining = Math.max(1, started + timeoutMs - clock.now());
    try {
      return await withDeadline(
        clock,
        remaining,
        [options.signal, this.closing.signal],
        async (deadline) => {
          const outcome = await this.scheduler.track({
            taskId,
            method,
            acceptedAt: started,
            deadlineAt: started + timeoutMs,
            signal: deadline,
            onSettled: () => permit.release(),
          });
          if (outcome.kind === 'failed') throw outcome.error;
          return {
            taskId,
            solution: solutionOf(method, outcome.value, taskId),
            extra: outcome.extra,
            elapsedMs: clock.now() - started,
          };
        },
        this.scopes,
      );
    } catch (error) {
      throw error instanceof AbortError && error.cause === DEADLINE_REASON
        ? new TimeoutError(timeoutMs, taskId)
        : error;
    } finally {
      permit.release();
    }
  }

  /** The account balance as the service reports it (CaptchaAI: account credit in USD). */
  async balance(options: CallOptions = {}): Promise<number> {
    const answer = await this.client.call(encodeAction('getbalance', this.options.key), {
      signal: options.signal,
    });
    const value = answer.kind === 'ok' ? Number(answer.value) : Number.NaN;
    if (!Number.isFinite(value)) throw new TypeError('getbalance did not answer a number');
    return value;
  }

  /** Reports an answer as good or bad. CaptchaAI answers with an empty body; both forms pass. */
  async report(taskId: string, verdict: 'good' | 'bad', options: CallOptions = {}): Promise<void> {
    if (!/^\d+$/.test(taskId))
      throw new TypeError(`taskId must be digits only, got ${JSON.stringify(taskId)}`);
    if (verdict !== 'good' && verdict !== 'bad')
      throw new TypeError(`verdict must be "good" or "bad", got ${JSON.stringify(verdict)}`);
    const action = verdict === 'good' ? 'reportgood' : 'reportbad';
    await this.client.call(encodeAction(action, this.options.key, { id: taskId }), {
      signal: options.signal,
    });
  }

  /**
   * The account's threads where the service answers `threadsinfo`; `undefined` where it does not
   * (the action is not documented everywhere).
   */
  async threads(options: CallOptions = {}): Promise<ThreadsInfo | undefined> {
    try {
      return await this.askThreads({ signal: options.signal });
    } catch (error) {
      if (classify(error, this.options.profile).kind === 'fatal-task') return undefined;
      throw error;
    }
  }

  /** Cancels every pending wait and releases sockets. Running solves reject with AbortError. */
  async close(): Promise<void> {
    this.closing.abort(new Error('Solver closed'));
    this.scheduler.close();
    this.slots.close('Solver closed');
    this.capacity.close();
    this.client.rate.close();
    this.client.breaker.close();
    this.client.submitRate?.close();
    if (this.options.ownsTransport) await this.options.transport.close?.();
  }

  /**
   * The limit wants to climb past the threads `threadsinfo` reported: asks again, at most every
   * THREADS_RECHECK_MS, so a raised plan is followed without a request per acceptance.
   */
  private recheckThreads(): void {
    const now = this.options.clock.now();
    if (this.threadsCheckedAt !== undefined && now - this.threadsCheckedAt < THREADS_RECHECK_MS)
      return;
    this.threadsCheckedAt = now;
    this.askThreads({ signal: this.closing.signal, maxAttempts: 1 }).then(
      (info) => {
        if (info && info.threads > 0)
          this.slots.reportThreads(info.threads, () => this.recheckThreads());
      },
      () => undefined, // the report stands; the next climb asks again after the interval
    );
  }

  /**
   * `threadsinfo`, read in every form a service may answer it, the bare text ones (no `OK|`)
   * included, which the usual answer parser would take for garbage.
   */
  private askThreads(options: Parameters<ApiClient['call']>[1]): Promise<ThreadsInfo | undefined> {
    return this.client.callWith(
      encodeAction('threadsinfo', this.options.key),
      parseThreadsInfoResponse,
      options,
    );
  }

  /**
   * Seeds the slot limit once from `threadsinfo` (free threads plus ours), where the service
   * answers it and the user set no ceiling. Failure is fine: capacity rejections teach the rest.
   * Every solve waits for it before its timeout starts, so it gets a short deadline of its own.
   */
  private discoverLimit(): Promise<void> {
    if (this.options.maxConcurrency !== undefined || !this.options.discoverThreads) {
      this.discovered = true;
      return Promise.resolve();
    }
    this.discovery ??= withDeadline(
      this.options.clock,
      DISCOVERY_TIMEOUT_MS,
      this.closing.signal,
      (signal) => this.askThreads({ signal, maxAttempts: 1 }),
      this.scopes,
    ).then(
      (info) => {
        if (info && info.threads > 0) {
          this.slots.seed(Math.max(1, info.free + this.slots.inFlight));
          this.slots.reportThreads(info.threads, () => this.recheckThreads());
        }
        this.discovered = true;
      },
      (error: unknown) => {
        // A bad key or a ban fails the solve now rather than after a second doomed request;
        // the next solve asks again. Anything else just leaves the limit to be discovered.
        if (classify(error, this.options.profile).kind !== 'fatal-account') {
          this.discovered = true;
          return;
        }
        this.discovery = undefined;
        throw error;
      },
    );
    return this.discovery;
  }
}

/** The answer as a Solution; one whose shape cannot be the task's is an AnswerShapeError. */
function solutionOf(method: string, value: AnswerValue, taskId: string): Solution {
  const solution = normaliseSolution(method, value);
  const problem = answerShapeProblem(method, solution);
  if (problem !== undefined) throw new AnswerShapeError(taskId, method, problem);
  return solution;
}
