import { classify } from '../errors/classify.js';
import { encodeGet } from '../protocol/index.js';
import type { ApiClient } from './api-client.js';
import type { SolverEvents } from './events.js';
import type { ResolvedSolverOptions } from './options.js';
import type { TypedEmitter } from './typed-emitter.js';
import type { TimingClass } from './types.js';

export interface PolledAnswer {
  value: string | number | Record<string, unknown>;
  extra: Record<string, unknown>;
  polls: number;
}

/**
 * Polls one accepted task until it has an answer: first after the method's documented delay,
 * then at the poll interval. A poll that keeps failing transiently is not the task's failure (its
 * answer is paid for and still on the service), so the loop goes on until the deadline.
 */
export async function pollTask(
  options: ResolvedSolverOptions,
  client: ApiClient,
  events: TypedEmitter<SolverEvents>,
  taskId: string,
  timing: TimingClass,
  signal: AbortSignal,
): Promise<PolledAnswer> {
  const { clock } = options;
  const request = encodeGet(taskId, options.key);
  let polls = 0;
  await clock.sleep(options.firstPollDelayMs[timing], signal);
  for (;;) {
    polls++;
    try {
      const answer = await client.call(request, { signal });
      const ready = answer.kind === 'ok';
      if (events.listens('polled')) events.emit('polled', { taskIds: [taskId], ready: ready ? 1 : 0 });
      // An empty "answer" is a broken reply, not a solution: the real one is still on the service.
      if (answer.kind === 'ok' && answer.value !== '') return { value: answer.value, extra: answer.extra, polls };
    } catch (error) {
      if (classify(error, options.profile).kind !== 'transient') throw error;
    }
    await clock.sleep(options.pollIntervalMs, signal);
  }
}
