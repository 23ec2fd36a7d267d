import { setMaxListeners } from 'node:events';
import { AbortError } from '../errors/abort-error.js';
import { classify } from '../errors/classify.js';
import { isCaptchaAIError } from '../errors/captchaai-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { Semaphore } from '../flow/semaphore.js';
import {
  encodeAction,
  encodeSubmit,
  normaliseSolution,
  parseThreadsInfo,
  timingClass,
  validateTask,
  type Task,
} from '../protocol/index.js';
import { ApiClient, codeOf } from './api-client.js';
import { DEADLINE_REASON, withDeadline } from './deadline.js';
import type { SolverEvents } from './events.js';
import { resolveSolverOptions, type ResolvedSolverOptions } from './options.js';
import { pollTask } from './poll-task.js';
import { submitTask } from './submit-task.js';
import { TypedEmitter } from './typed-emitter.js';
import type { CallOptions, SolveOptions, SolveResult, SolverOptions, ThreadsInfo } from './types.js';

/**
 * Solves CAPTCHAs through CaptchaAI or any 2captcha-compatible service: validates the task,
 * submits it (retrying when no thread is free), polls at the documented pace and returns the
 * answer. Safe to call concurrently; every wait is cancellable.
 */
export class Solver {
  private readonly options: ResolvedSolverOptions;
  private readonly emitter = new TypedEmitter<SolverEvents>();
  private readonly client: ApiClient;
  private readonly slots: Semaphore | undefined;
  private readonly closing = new AbortController();
  private inFlight = 0;

  constructor(options: SolverOptions) {
    this.options = resolveSolverOptions(options);
    this.client = new ApiClient(this.options, this.emitter);
    // Every concurrent solve listens on the close signal; thousands at once are expected.
    setMaxListeners(0, this.closing.signal);
    this.slots = this.options.maxConcurrency === undefined ? undefined : new Semaphore(this.options.maxConcurrency);
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof SolverEvents>(name: K, listener: (payload: SolverEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  off<K extends keyof SolverEvents>(name: K, listener: (payload: SolverEvents[K]) => void): void {
    this.emitter.off(name, listener);
  }

  /** Solves one task. Rejects with a typed error; never with the key in its message. */
  async solve(task: Task | Record<string, unknown>, options: SolveOptions = {}): Promise<SolveResult> {
    const valid = validateTask(task);
    const method = String(valid.method);
    const timing = timingClass(valid);
    const request = encodeSubmit(valid, this.options.key);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs[timing];
    const signal = anySignal(options.signal, this.closing.signal);
    let taskId: string | undefined;
    if (this.slots) await this.slots.acquire(signal);
    const started = this.options.clock.now();
    try {
      return await withDeadline(this.options.clock, timeoutMs, signal, async (deadline) => {
        taskId = await submitTask(this.submitContext(), method, request, deadline);
        this.inFlight++;
        try {
          const answer = await pollTask(this.options, this.client, this.emitter, taskId, timing, deadline);
          const elapsedMs = this.options.clock.now() - started;
          if (this.emitter.listens('solved')) this.emitter.emit('solved', { taskId, method, elapsedMs, polls: answer.polls });
          return { taskId, solution: normaliseSolution(method, answer.value), extra: answer.extra, elapsedMs };
        } finally {
          this.inFlight--;
        }
      });
    } catch (error) {
      const failure = this.toFailure(error, timeoutMs, taskId);
      if (this.emitter.listens('failed')) {
        const kind = failure instanceof TimeoutError ? 'timeout' : classify(failure, this.options.profile).kind;
        this.emitter.emit('failed', { taskId, method, code: codeOf(failure), kind });
      }
      throw failure;
    } finally {
      this.slots?.release();
    }
  }

  /** The account balance as the service reports it (CaptchaAI: account credit in USD). */
  async balance(options: CallOptions = {}): Promise<number> {
    const answer = await this.client.call(encodeAction('getbalance', this.options.key), { signal: options.signal });
    const value = answer.kind === 'ok' ? Number(answer.value) : Number.NaN;
    if (!Number.isFinite(value)) throw new TypeError('getbalance did not answer a number');
    return value;
  }

  /** Reports an answer as good or bad. CaptchaAI answers with an empty body; both forms pass. */
  async report(taskId: string, verdict: 'good' | 'bad', options: CallOptions = {}): Promise<void> {
    if (!/^\d+$/.test(taskId)) throw new TypeError(`taskId must be digits only, got ${JSON.stringify(taskId)}`);
    if (verdict !== 'good' && verdict !== 'bad') throw new TypeError(`verdict must be "good" or "bad", got ${JSON.stringify(verdict)}`);
    const action = verdict === 'good' ? 'reportgood' : 'reportbad';
    await this.client.call(encodeAction(action, this.options.key, { id: taskId }), { signal: options.signal });
  }

  /**
   * The account's threads where the service answers `threadsinfo`; `undefined` where it does not
   * (the action is not documented everywhere).
   */
  async threads(options: CallOptions = {}): Promise<ThreadsInfo | undefined> {
    try {
      const answer = await this.client.call(encodeAction('threadsinfo', this.options.key), { signal: options.signal });
      return answer.kind === 'ok' ? parseThreadsInfo(answer) : undefined;
    } catch (error) {
      const kind = classify(error, this.options.profile).kind;
      if (kind === 'fatal-task') return undefined;
      throw error;
    }
  }

  /** Cancels every pending wait and releases sockets. Running solves reject with AbortError. */
  async close(): Promise<void> {
    this.closing.abort(new Error('Solver closed'));
    if (this.options.ownsTransport) await this.options.transport.close?.();
  }

  private submitContext() {
    return { options: this.options, client: this.client, events: this.emitter, inFlight: () => this.inFlight };
  }

  private toFailure(error: unknown, timeoutMs: number, taskId: string | undefined): unknown {
    if (error instanceof AbortError && error.cause === DEADLINE_REASON) return new TimeoutError(timeoutMs, taskId);
    if (isCaptchaAIError(error)) return error;
    return error;
  }
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}
