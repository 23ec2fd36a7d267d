import type { SolverEvents } from './events.js';
import type { LogLevel, SolverLog } from './logger.js';
import type { TypedEmitter } from './typed-emitter.js';

/** How each event is logged: its level and message, from its payload. */
type EventLines = {
  [K in keyof SolverEvents]?: (payload: SolverEvents[K]) => [LogLevel, string];
};

/**
 * The events worth a line: retries and pauses, changes of the limits, and what became of each
 * task. `polled` is left out: each poll already has its request line.
 */
const EVENT_LINES: EventLines = {
  submitted: () => ['debug', 'task submitted'],
  rejected: () => ['info', 'submit refused for capacity; retrying'],
  retrying: () => ['warn', 'request failed; retrying'],
  throttled: () => ['warn', 'throttled; requests pause'],
  ambiguous: (e) => [
    'warn',
    e.resubmitted ? 'submit answer lost; resubmitted' : 'submit answer lost',
  ],
  outage: (e) => [e.state === 'closed' ? 'info' : 'warn', `service outage ${e.state}`],
  'type-busy': () => ['info', 'captcha type refused by the platform'],
  'type-open': () => ['info', 'captcha type accepted again'],
  'limit-changed': () => ['info', 'thread limit changed'],
  // Recovery after a cut grows the rate step by step: each step is detail.
  'rate-changed': (e) => [e.reason === 'recovering' ? 'debug' : 'info', 'request rate changed'],
  'poll-mode': () => ['info', 'poll mode chosen'],
  solved: () => ['info', 'task solved'],
  failed: (e) => [e.kind === 'fatal-account' ? 'error' : 'warn', 'task failed'],
};

/**
 * Logs the solver's events, one line each, with the event's name and its payload as fields.
 * Subscribed only when a logger was given, so a solver without one builds no payload for them.
 */
export function logEvents(emitter: TypedEmitter<SolverEvents>, log: SolverLog): void {
  for (const name of Object.keys(EVENT_LINES) as Array<keyof SolverEvents>) {
    const line = EVENT_LINES[name] as (payload: object) => [LogLevel, string];
    emitter.on(name, (payload: object) => {
      const [level, msg] = line(payload);
      log.write(level, msg, () => ({ event: name, ...payload }));
    });
  }
}
