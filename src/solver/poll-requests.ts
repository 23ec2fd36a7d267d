import { classify } from '../errors/classify.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type { PollRequests } from '../flow/poll-scheduler-types.js';
import {
  answerError,
  encodeGet,
  encodeGetMany,
  parseAnswer,
  parseGetMany,
} from '../protocol/index.js';
import type { ApiClient } from './api-client.js';
import type { ResolvedSolverOptions } from './options.js';

/**
 * The poll scheduler's view of the service: answers come back as data (a task's own error is the
 * task's outcome), while failures worth retrying (a 5xx, a throttle code) are thrown so the
 * client's retry and rate logic sees them.
 */
export function createPollRequests(
  options: ResolvedSolverOptions,
  client: ApiClient,
  signal: AbortSignal,
): PollRequests {
  const retryable = (code: string): boolean => {
    const kind = classify(answerError({ kind: 'error', code }, 'res.php'), options.profile).kind;
    return kind === 'transient' || kind === 'throttled';
  };
  return {
    one: (taskId, priority, onFailed) =>
      client.callWith(
        encodeGet(taskId, options.key),
        (response, now) => {
          const answer = parseAnswer(response, 'res.php', now);
          if (answer.kind === 'error' && retryable(answer.code))
            throw answerError(answer, 'res.php');
          return answer;
        },
        { signal, priority, onFailed },
      ),
    many: (taskIds, onFailed) =>
      client.callWith(
        encodeGetMany(taskIds, options.key),
        (response, now) => {
          try {
            const result = parseGetMany(response, taskIds, now);
            if (result.kind === 'error' && !result.unsupported && retryable(result.code)) {
              throw answerError({ kind: 'error', code: result.code }, 'res.php');
            }
            return result;
          } catch (error) {
            if (error instanceof ProtocolError) return { kind: 'garbled' as const };
            throw error;
          }
        },
        { signal, priority: 'poll-likely', onFailed },
      ),
  };
}
