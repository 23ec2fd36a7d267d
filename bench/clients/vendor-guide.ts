import type { BenchTask } from '../scenarios/tasks.js';
import { failureCode, isCapacity, poll, submit, type RawAnswer } from './raw-api.js';
import type { BenchClient, ClientEnv } from './types.js';
import { runPool } from './worker-pool.js';

/** Waits after a refused submit: 1, 2, 4, 8, 16 s; a refusal after the last one fails the task. */
const SUBMIT_BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 16_000] as const;
/** "Wait 10 seconds, then poll every 5 seconds", at most 30 polls. */
const FIRST_POLL_MS = 10_000;
const POLL_INTERVAL_MS = 5_000;
const MAX_POLLS = 30;

/** How many tasks the semaphore lets run: a number, or a multiple of the true limit. */
export type VendorSlots = { fixed: number } | { timesLimit: number };

function slotsFor(slots: VendorSlots, trueLimit: number): number {
  return 'fixed' in slots ? slots.fixed : Math.round(slots.timesLimit * trueLimit);
}

/**
 * What users write from the vendor's guide: a fixed semaphore; a submit refused for lack of a
 * thread (or answered with anything but an id) is retried with plain exponential backoff, five
 * times; then sleep 10 s and poll one task per request every 5 s, up to 30 polls. Raw in.php /
 * res.php requests with json=1, no library.
 */
export function vendorGuideClient(id: string, slots: VendorSlots): BenchClient {
  return {
    id,
    label: (trueLimit) => `vendor@${slotsFor(slots, trueLimit)}`,
    async run(env) {
      const size = Math.min(slotsFor(slots, env.trueLimit), env.demand ?? Number.POSITIVE_INFINITY);
      await runPool(env.tasks, size, (task, index) => solveOne(env, task, index));
      return { concurrency: size };
    },
  };
}

async function solveOne(env: ClientEnv, task: BenchTask, index: number): Promise<void> {
  const { clock, transport, key } = env;
  const started = clock.now();
  let answer: RawAnswer = await submit(transport, key, task);
  for (const delay of SUBMIT_BACKOFF_MS) {
    if (answer.kind === 'ok') break;
    // A hard error (bad key, bad task) is not worth retrying; anything else is.
    if (answer.kind === 'error' && !isCapacity(answer)) break;
    await clock.sleep(delay);
    answer = await submit(transport, key, task);
  }
  if (answer.kind !== 'ok') return env.report({ index, ok: false, code: failureCode(answer) });
  const id = answer.value;
  await clock.sleep(FIRST_POLL_MS);
  for (let polls = 1; polls <= MAX_POLLS; polls++) {
    const result = await poll(transport, key, id);
    if (result.kind === 'ok') {
      return env.report({ index, ok: true, latencyMs: clock.now() - started });
    }
    if (result.kind === 'error') return env.report({ index, ok: false, code: result.code });
    // Not ready, a 429 or a network error: try again at the next poll.
    if (polls < MAX_POLLS) await clock.sleep(POLL_INTERVAL_MS);
  }
  env.report({ index, ok: false, code: 'timeout' });
}
