import PQueue from 'p-queue';
import type { BenchTask } from '../scenarios/tasks.js';
import { isCapacity, poll, submit, type RawAnswer } from './raw-api.js';
import type { BenchClient, ClientEnv } from './types.js';

const RETRY_MS = 5_000;
const POLL_INTERVAL_MS = 5_000;
const TASK_TIMEOUT_MS = 300_000;

/**
 * p-queue twice, as its README suggests: one queue runs at most L* tasks at once (the user looked
 * the limit up), another lets every request out at a sane rate (intervalCap per second). A refused
 * or throttled submit is tried again after 5 s; polls every 5 s until the 300 s timeout.
 */
export function pQueueCappedClient(): BenchClient {
  return {
    id: 'p-queue@L*',
    label: (trueLimit) => `p-queue@${trueLimit}`,
    async run(env) {
      const size = Math.min(env.trueLimit, env.demand ?? Number.POSITIVE_INFINITY);
      const tasks = new PQueue({ concurrency: size });
      const requests = new PQueue({
        intervalCap: env.configuredRps,
        interval: 1_000 * env.libraryTimeScale,
      });
      const send = (fn: () => Promise<RawAnswer>): Promise<RawAnswer> =>
        requests.add(fn, { throwOnTimeout: true });
      await Promise.all(
        env.tasks.map((task, index) =>
          tasks.add(() => solveOne(env, send, task, index), { throwOnTimeout: true }),
        ),
      );
      return { concurrency: size };
    },
  };
}

async function solveOne(
  env: ClientEnv,
  send: (fn: () => Promise<RawAnswer>) => Promise<RawAnswer>,
  task: BenchTask,
  index: number,
): Promise<void> {
  const { clock, transport, key } = env;
  const started = clock.now();
  const expired = (): boolean => clock.now() - started >= TASK_TIMEOUT_MS;
  let answer = await send(() => submit(transport, key, task));
  while (answer.kind !== 'ok') {
    const hard = answer.kind === 'error' && !isCapacity(answer);
    if (hard || expired()) {
      return env.report({
        index,
        ok: false,
        code: answer.kind === 'error' ? answer.code : 'timeout',
      });
    }
    await clock.sleep(RETRY_MS);
    answer = await send(() => submit(transport, key, task));
  }
  const id = answer.value;
  for (;;) {
    await clock.sleep(POLL_INTERVAL_MS);
    const result = await send(() => poll(transport, key, id));
    if (result.kind === 'ok') {
      return env.report({ index, ok: true, latencyMs: clock.now() - started });
    }
    if (result.kind === 'error') return env.report({ index, ok: false, code: result.code });
    if (expired()) return env.report({ index, ok: false, code: 'timeout' });
  }
}
