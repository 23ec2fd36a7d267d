import type { Solver } from '../solver/solver.js';
import type { Output } from './output.js';

/**
 * Progress lines on stderr, fed by the solver's events, so a person watching a slow token solve
 * sees why it is slow (no free thread, its CAPTCHA type busy on the platform, throttled,
 * retrying). Returns the unsubscribe function. Times are on the solver's clock (virtual time
 * under --sim).
 */
export function showProgress(solver: Pick<Solver, 'on'>, output: Output): () => void {
  const offs = [
    solver.on('submitted', (e) =>
      output.log(
        `submitted ${e.method} task ${e.taskId}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`,
      ),
    ),
    solver.on('rejected', (e) =>
      output.log(
        e.cause === 'account'
          ? `no free thread (${e.code}); submitting again ${e.delayMs > 0 ? `in ${seconds(e.delayMs)}` : 'when one frees'}`
          : `${e.type}: no free worker on the platform (${e.code}); other types go on`,
      ),
    ),
    solver.on('type-busy', (e) =>
      output.log(
        e.reason === 'busy'
          ? `${e.type}: platform busy for ${seconds(e.busyForMs)}; next try in ${seconds(e.retryInMs)}`
          : `${e.type}: the platform takes ${e.cap ?? '?'} at once; the rest wait for one to end`,
      ),
    ),
    solver.on('type-open', (e) =>
      output.log(`${e.type}: accepted again after ${seconds(e.busyForMs)} busy`),
    ),
    solver.on('throttled', (e) =>
      output.log(`${e.endpoint} throttled (${e.code}); pausing ${seconds(e.delayMs)}`),
    ),
    solver.on('retrying', (e) =>
      output.log(`${e.endpoint} failed (${e.code}); retry ${e.attempt} in ${seconds(e.delayMs)}`),
    ),
    solver.on('ambiguous', (e) =>
      output.log(
        `the answer to a submit was lost (${e.code}); ${e.resubmitted ? 'submitting again' : 'not resubmitting, to avoid a duplicate'}`,
      ),
    ),
    solver.on('solved', (e) =>
      output.log(
        `solved task ${e.taskId} in ${seconds(e.elapsedMs)} (${e.polls} poll${e.polls === 1 ? '' : 's'})`,
      ),
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
