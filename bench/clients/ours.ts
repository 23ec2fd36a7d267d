import { Solver } from '../../src/solver/solver.js';
import type { LimitTrace, BenchClient } from './types.js';

/**
 * A task that timed out before the service ever accepted it: only refusals (capacity, 429) kept
 * it out, so S9 counts it as a failure for capacity.
 */
export const TIMEOUT_BEFORE_ACCEPT = 'TIMEOUT_BEFORE_ACCEPT';

/** A failed task's code: the library's error code, or the error's name. */
function codeOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, taskId } = error as { code?: unknown; taskId?: unknown };
    if (code === 'TIMEOUT' && 'taskId' in error && taskId === undefined) {
      return TIMEOUT_BEFORE_ACCEPT;
    }
    if (typeof code === 'string') return code;
    if (error instanceof Error) return error.name;
  }
  return 'unknown';
}

/**
 * Our Solver with its defaults: no maxConcurrency (it must discover the limit), batch polls on
 * 'auto'. `solveMany` over the task list, with the scenario's demand as its concurrency.
 */
export function oursClient(): BenchClient {
  return {
    id: 'ours',
    label: () => 'ours',
    async run(env) {
      const solver = new Solver({
        key: env.key,
        transport: env.transport,
        clock: env.clock,
        random: env.random,
      });
      const limit: LimitTrace = { final: 0, max: 0, changes: 0, probes: 0, timeline: [] };
      solver.on('limit-changed', (change) => {
        limit.timeline.push({ atMs: env.clock.now(), limit: change.limit });
        limit.final = change.limit;
        limit.max = Math.max(limit.max, change.limit);
        limit.changes++;
        if (change.reason.startsWith('probe')) limit.probes++;
      });
      env.expose?.({ limit });
      try {
        const options = env.demand === undefined ? {} : { concurrency: env.demand };
        for await (const item of solver.solveMany(env.tasks, options)) {
          if (item.ok) {
            env.report({ index: item.index, ok: true, latencyMs: item.result.elapsedMs });
          } else {
            env.report({ index: item.index, ok: false, code: codeOf(item.error) });
          }
        }
      } finally {
        await solver.close();
      }
      return { limit };
    },
  };
}
