import pRetry, { AbortError } from 'p-retry';
import type { BenchTask } from '../scenarios/tasks.js';
import { failureCode, isCapacity, poll, submit } from './raw-api.js';
import type { BenchClient, ClientEnv } from './types.js';
import { runPool } from './worker-pool.js';

const POLL_INTERVAL_MS = 5_000;
/** The documented timeout for token tasks. */
const TASK_TIMEOUT_MS = 300_000;

/**
 * Fixed concurrency at the true limit (the user looked it up) with p-retry around the submit:
 * capacity refusals, 429s, 5xx and network errors are retried with p-retry's exponential backoff
 * (10 retries, 1 s doubling to at most 30 s); other answers abort. Then a poll every 5 s until
 * the answer or the 300 s token-task timeout.
 */
export function pRetryFixedClient(): BenchClient {
  return {
    id: 'p-retry@L*',
    label: (trueLimit) => `p-retry@${trueLimit}`,
    async run(env) {
      const size = Math.min(env.trueLimit, env.demand ?? Number.POSITIVE_INFINITY);
      await runPool(env.tasks, size, (task, index) => solveOne(env, task, index));
      return { concurrency: size };
    },
  };
}

async function solveOne(env: ClientEnv, task: BenchTask, index: number): Promise<void> {
  const { clock, transport, key, libraryTimeScale: scale } = env;
  const started = clock.now();
  let id: string;
  try {
    id = await pRetry(
      async () => {
        const answer = await submit(transport, key, task);
        if (answer.kind === 'ok') return answer.value;
        if (answer.kind === 'error' && !isCapacity(answer)) {
          throw new AbortError(answer.code);
        }
        throw new Error(failureCode(answer));
      },
      { retries: 10, factor: 2, minTimeout: 1_000 * scale, maxTimeout: 30_000 * scale },
    );
  } catch (error) {
    return env.report({ index, ok: false, code: (error as Error).message });
  }
  for (;;) {
    await clock.sleep(POLL_INTERVAL_MS);
    const result = await poll(transport, key, id);
    if (result.kind === 'ok') {
      return env.report({ index, ok: true, latencyMs: clock.now() - started });
    }
    if (result.kind === 'error') return env.report({ index, ok: false, code: result.code });
    if (clock.now() - started >= TASK_TIMEOUT_MS) {
      return env.report({ index, ok: false, code: 'timeout' });
    }
  }
}
