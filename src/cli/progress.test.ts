import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SolverEvents } from '../solver/events.js';
import { TypedEmitter } from '../solver/typed-emitter.js';
import { Output } from './output.js';
import { showProgress } from './progress.js';

function watched(): { events: TypedEmitter<SolverEvents>; lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const output = new Output({
    stdout: { write: () => assert.fail('progress goes to stderr only') },
    stderr: { write: (chunk: string) => lines.push(chunk.trimEnd()) },
    stdin: process.stdin,
    env: {},
    onInterrupt: () => () => undefined,
  });
  const events = new TypedEmitter<SolverEvents>();
  return { events, lines, stop: showProgress(events, output) };
}

const refusal = {
  method: 'userrecaptcha',
  type: 'userrecaptcha',
  code: 'ERROR_ZERO_BALANCE',
  attempt: 2,
  inFlight: 4,
};

test('a refusal says which limit refused: the account (with its wait) or the platform for the type', () => {
  const { events, lines } = watched();
  events.emit('rejected', { ...refusal, cause: 'account', delayMs: 2_500 });
  events.emit('rejected', { ...refusal, cause: 'account', delayMs: 0 });
  events.emit('rejected', { ...refusal, cause: 'platform', delayMs: 0 });
  assert.deepEqual(lines, [
    'no free thread (ERROR_ZERO_BALANCE); submitting again in 2.5 s',
    'no free thread (ERROR_ZERO_BALANCE); submitting again when one frees',
    'userrecaptcha: no free worker on the platform (ERROR_ZERO_BALANCE); other types go on',
  ]);
});

test('a busy type says for how long and when it tries again; a cap and a reopening are told too', () => {
  const { events, lines, stop } = watched();
  const info = { type: 'userrecaptcha', cap: undefined, refusals: 3, cause: 'platform' as const };
  events.emit('type-busy', { ...info, reason: 'busy', retryInMs: 15_000, busyForMs: 130_000 });
  events.emit('type-busy', {
    ...info,
    type: 'base64',
    reason: 'capped',
    cap: 3,
    retryInMs: 0,
    busyForMs: 0,
  });
  events.emit('type-open', {
    type: 'userrecaptcha',
    busyForMs: 140_000,
    refusals: 4,
    cause: 'platform',
  });
  assert.deepEqual(lines, [
    'userrecaptcha: platform busy for 130.0 s; next try in 15.0 s',
    'base64: the platform takes 3 at once; the rest wait for one to end',
    'userrecaptcha: accepted again after 140.0 s busy',
  ]);
  stop();
  events.emit('type-open', { type: 'userrecaptcha', busyForMs: 1, refusals: 1, cause: 'platform' });
  assert.equal(lines.length, 3, 'nothing after unsubscribing');
});
