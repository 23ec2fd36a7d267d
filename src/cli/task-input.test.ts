import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitTaskArgs } from './task-input.js';
import { UsageError } from './usage-error.js';

const OPTIONS = ['--json', '--timeout', '--method'];

test('a parameter flag near an option is still sent, and named as a near miss', () => {
  const { params, nearMisses } = splitTaskArgs(
    ['--timout', '1000', '--sitekey', 'S', '--metod=turnstile'],
    OPTIONS,
  );
  assert.deepEqual(params, { timout: '1000', sitekey: 'S', metod: 'turnstile' });
  assert.deepEqual(nearMisses, [
    { flag: '--timout', option: '--timeout' },
    { flag: '--metod', option: '--method' },
  ]);
});

test('a flag without a value near an option is called an unknown option, with the suggestion', () => {
  assert.throws(
    () => splitTaskArgs(['--jsn'], OPTIONS),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message === 'unknown option --jsn (did you mean --json?)',
  );
  assert.throws(
    () => splitTaskArgs(['--pageurl'], OPTIONS),
    (error: unknown) => error instanceof UsageError && error.message === '--pageurl needs a value',
  );
});
