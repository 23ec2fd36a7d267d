import { AmbiguousSubmitError } from '../errors/ambiguous-submit-error.js';
import { classify } from '../errors/classify.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { fullJitterDelay } from '../flow/backoff.js';
import type { RefusalCause } from '../flow/platform/refusal-cause.js';
import type { ApiRequest } from '../transport/types.js';
import { codeOf, isLostAnswer, type ApiClient } from './api-client.js';
import type { SolverEvents } from './events.js';
import type { ResolvedSolverOptions } from './options.js';
import type { SubmitOutcome } from './submit-outcome.js';
import type { TypedEmitter } from './typed-emitter.js';

export interface SubmitContext {
  options: ResolvedSolverOptions;
  client: ApiClient;
  events: TypedEmitter<SolverEvents>;
  /** Tasks of this solver holding a thread or on their way to one (for event payloads). */
  inFlight: () => number;
  /** The task's CAPTCHA type, as capacity is tracked (for event payloads). */
  type: string;
  /**
   * Called after a capacity rejection; resolves, once the cause is read, to that cause, the delay
   * it chose (for the event) and `ready`, which settles when this task may try again (a thread was
   * freed, its type has workers again, or a backoff passed).
   */
  awaitCapacity: (
    attempt: number,
  ) => Promise<{ cause: RefusalCause; delayMs: number; ready: Promise<void> }>;
  /** in.php accepted the task (before its id is handed on). */
  accepted: () => void;
  /** The task's hooks around each of its in.php requests (SolveOptions). */
  onSubmitting?: (() => void) | undefined;
  onSubmitAnswered?: ((outcome: SubmitOutcome) => void) | undefined;
  /** Each failed in.php request, so a timeout can say what went wrong last. */
  onFailed?: ((error: unknown) => void) | undefined;
}

/**
 * Submits until in.php accepts. A capacity rejection (no free thread) waits for a thread to free
 * up; a lost answer is resubmitted only where policy allows, since the service may already hold
 * the task (a duplicate holds a thread and, on per-solve billing, costs money).
 */
export async function submitTask(
  ctx: SubmitContext,
  method: string,
  request: ApiRequest,
  signal: AbortSignal,
): Promise<string> {
  const { options, client, events } = ctx;
  let attempt = 0;
  let lostAnswers = 0;
  for (;;) {
    attempt++;
    try {
      const answer = await client.call(request, {
        signal,
        throwOnLostAnswer: true,
        priority: 'submit',
        onSending: ctx.onSubmitting,
        onAnswered: ctx.onSubmitAnswered,
        onFailed: ctx.onFailed,
      });
      if (answer.kind !== 'ok' || !isTaskId(answer.value)) {
        throw new ProtocolError('in.php accepted a task without a numeric task id');
      }
      const taskId = String(answer.value);
      ctx.accepted();
      if (events.listens('submitted'))
        events.emit('submitted', { taskId, method, attempt, inFlight: ctx.inFlight() });
      return taskId;
    } catch (error) {
      if (isLostAnswer(error)) {
        lostAnswers++;
        const resubmit = options.resubmitAmbiguous && lostAnswers < options.maxTransientAttempts;
        if (events.listens('ambiguous'))
          events.emit('ambiguous', { method, code: codeOf(error), resubmitted: resubmit });
        if (!resubmit) throw new AmbiguousSubmitError(error);
        await options.clock.sleep(
          fullJitterDelay(lostAnswers - 1, options.transientBackoff, options.random),
          signal,
        );
        continue;
      }
      if (classify(error, options.profile).kind !== 'capacity') throw error;
      const { cause, delayMs, ready } = await ctx.awaitCapacity(attempt);
      if (events.listens('rejected')) {
        events.emit('rejected', {
          method,
          type: ctx.type,
          cause,
          code: codeOf(error),
          attempt,
          inFlight: ctx.inFlight(),
          delayMs,
        });
      }
      await ready;
    }
  }
}

function isTaskId(value: unknown): value is string | number {
  return (
    (typeof value === 'string' && /^\d+$/.test(value)) ||
    (typeof value === 'number' && Number.isSafeInteger(value))
  );
}
