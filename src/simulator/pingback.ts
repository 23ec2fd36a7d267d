import type { Clock } from '../time/clock.js';
import type { PingbackPayload, PingbackSender, ResolvedSimulatorOptions } from './options.js';
import type { TaskRecord, TaskStore } from './task-store.js';

/** How long a real HTTP pingback may take before it is given up. */
const PINGBACK_TIMEOUT_MS = 10_000;

/**
 * The default sender: `GET URL?id=&code=` (CaptchaAI blog) or a urlencoded `POST` with
 * `id` and `code` (2captcha). Failures are swallowed: an unreachable URL must not hurt the run.
 */
export function httpPingbackSender(method: 'GET' | 'POST'): PingbackSender {
  return async (url: string, payload: PingbackPayload): Promise<void> => {
    try {
      const form = new URLSearchParams({ id: payload.id, code: payload.code });
      const signal = AbortSignal.timeout(PINGBACK_TIMEOUT_MS);
      if (method === 'GET') {
        const target = new URL(url);
        for (const [k, v] of form) target.searchParams.set(k, v);
        const res = await fetch(target, { signal });
        await res.body?.cancel();
      } else {
        const res = await fetch(url, { method: 'POST', body: form, signal });
        await res.body?.cancel();
      }
    } catch {
      // Unreachable or invalid URL: a real service would not retry forever either.
    }
  };
}

/**
 * Sends each task's pingback when it finishes: the one place the simulator sets a timer, since a
 * client waiting for a pingback makes no request that would reveal the completion lazily.
 */
export class Pingbacks {
  private readonly closing = new AbortController();
  private readonly sender: PingbackSender;

  constructor(
    private readonly clock: Clock,
    private readonly store: TaskStore,
    private readonly options: ResolvedSimulatorOptions,
  ) {
    this.sender = options.pingbackSender ?? httpPingbackSender(options.pingbackMethod);
  }

  schedule(task: TaskRecord, url: string): void {
    const wait = Math.max(0, task.doneAt - this.clock.now());
    this.clock
      .sleep(wait, this.closing.signal)
      .then(() => {
        this.store.pump(this.clock.now());
        if (!task.answer && !this.options.pingbackOnUnsolvable) return;
        const code = task.answer ? task.answer.text : 'ERROR_CAPTCHA_UNSOLVABLE';
        return this.sender(url, { id: String(task.id), code });
      })
      .catch(() => undefined);
  }

  /** Cancels every pending pingback. */
  close(): void {
    this.closing.abort();
  }
}
